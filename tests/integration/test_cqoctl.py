"""cqoctl end to end: importing generated 信息表 files in UTF-8, UTF-8 with
BOM and GBK; every validation error reported with line, column, value and
reason, and nothing imported; idempotent re-import; --skip-bad and its
reject file; the database's refusals checked in file order before anything is
written; large imports and seeds written in short chunks while another
process writes, a row refused only while writing, a dry run on a copy, and
an import killed half-way finished by running it again; exports that import into a fresh database and export again
byte for byte; the statistics export equal to the chat's 统计; an online
backup taken while the daemon writes, restored by stop, copy, start;
grant, revoke, roles, policy, target and calendar; --help and the one-line
errors with their exit statuses.

Time is pinned (CQOD_FAKE_NOW) to 2026-06-15 for the daemon and cqoctl."""
import csv
import importlib.util
import io
import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import threading
import time

from harness import Daemon, ROOT, alone, as_user_prefix, fake_now, sized

FAKE_NOW = "2026-06-15 10:00:00"
TODAY = "2026-06-15"

_spec = importlib.util.spec_from_file_location(
    "gen_import", os.path.join(ROOT, "tests", "bench", "gen_import.py"))
gen_import = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen_import)


def daemon(seed="demo"):
    return Daemon(seed=seed, env={"CQOD_FAKE_NOW": FAKE_NOW})


def ctl(d, *args, stdin=None):
    """Runs cqoctl as the daemon's user; returns (status, stdout, stderr)."""
    d._own()
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config] + list(args)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=d.env,
                       input=stdin)
    return r.returncode, r.stdout, r.stderr


def ok(d, *args):
    rc, out, err = ctl(d, *args)
    assert rc == 0, "cqoctl %s: %d\n%s%s" % (args, rc, out, err)
    return out


def write(d, name, text, encoding="utf-8"):
    path = os.path.join(d.dir, name)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)
    d._own()
    return path


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def rows(d, sql, *args):
    db = sqlite3.connect(d.db)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def one(d, sql, *args):
    return rows(d, sql, *args)[0][0]


def registry_digest(d):
    """Everything an import may change, to compare before and after."""
    return [rows(d, "SELECT * FROM %s ORDER BY 1, 2" % t)
            for t in ("enterprises", "enterprise_tags", "people", "appointments", "trainings",
                      "sanctions", "audit_log")]


def unix_user():
    return pwd.getpwuid(65534 if os.geteuid() == 0 else os.geteuid()).pw_name


def test_import_each_encoding():
    for encoding, name in (("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("gbk", "GB18030")):
        d = daemon()
        with d:
            path = os.path.join(d.dir, "cqos.csv")
            gen_import.write(300, path, encoding)
            d._own()
            out = ok(d, "import", "cqos", path)
            assert "300 行，编码 %s" % name in out, out
            assert "企业：新增 300，更新 0，无变化 0" in out, out
            assert "备案记录：新增 300，更新 0，无变化 0" in out, out
            first = gen_import.row(0, __import__("random").Random(1), gen_import.counties())
            got = rows(d, "SELECT p.name, p.phone, e.name, e.credit_code, e.region_code,"
                          " a.doc_no, a.status FROM appointments a"
                          " JOIN people p ON p.id = a.person_id"
                          " JOIN enterprises e ON e.id = a.enterprise_id"
                          " WHERE e.credit_code = ?", first[11])
            assert got == [(first[0], first[8], first[10], first[11], first[12], first[19],
                            "active")], got
            # Free text with commas, quotes and a line break comes through whole.
            assert one(d, "SELECT resume FROM people WHERE phone = ?", first[8]) == first[25]
            # 30 generated, one in the demo.
            assert one(d, "SELECT count(*) FROM appointments WHERE status = 'ended'") == 31
            assert one(d, "SELECT count(*) FROM audit_log WHERE actor_platform = 'cqoctl'"
                          " AND actor_user = ? AND command = 'import'", unix_user()) == 900
            # The chat finds what was imported.
            ok(d, "grant", "generic", "u-admin", "admin")
            d.start()
            _, body = d.webhook("查询 " + first[11], "q-1")
            assert first[0] in body["reply"]["text"], body


def test_encoding_override_and_bad_bytes():
    d = daemon()
    with d:
        gbk = write(d, "gbk.csv", "统一社会信用代码,企业名称,所在地区\r\n"
                                  "91371302DEM0000013,示例精密机械有限公司,371302\r\n", "gbk")
        out = ok(d, "import", "enterprises", gbk, "--encoding", "gbk")
        assert "编码 GBK" in out and "无变化 1" in out, out
        rc, out, err = ctl(d, "import", "enterprises", gbk, "--encoding", "utf-8")
        assert rc == 1 and err.count("\n") == 1, err
        assert "gbk.csv:1: 含有不是 UTF-8 编码的字节" in err, err
        utf16 = os.path.join(d.dir, "u16.csv")
        with open(utf16, "wb") as f:
            f.write("统一社会信用代码\r\n".encode("utf-16"))
        rc, _, err = ctl(d, "import", "enterprises", utf16)
        assert rc == 1 and "UTF-16" in err and err.count("\n") == 1, err


CQO_HEADER = ("姓名,性别,出生日期,手机,邮箱,企业名称,统一社会信用代码,所在地区,行业代码,"
              "职工人数,企业规模,类别,聘任日期,任期届满日期,状态,终止日期,备注\r\n")
GOOD = "王小明,男,1980-01-02,13900000001,wxm@example.com,甲企业,%s,371302,C34,100,中型,规上,2024-01-01,,在任,,\r\n"


def code(i):
    return gen_import.credit_code("371302", 900000 + i)


def test_every_validation_error_reported_nothing_imported():
    d = daemon()
    with d:
        bad = [
            ("姓名", "", "必填，不能为空", ",男,1980-01-02,13900000002,,乙企业,%s,371302,,,,,2024-01-01,,,,\r\n" % code(2)),
            ("性别", "未知", "性别应为 男 或 女", "李,未知,,,,乙企业,%s,371302,,,,,2024-01-01,,,,\r\n" % code(3)),
            ("出生日期", "1980-02-30", "日期不存在，请检查年月日", "李,,1980-02-30,,,乙,%s,371302,,,,,2024-01-01,,,,\r\n" % code(4)),
            ("出生日期", "2030-01-01", "出生日期不能晚于今天", "李,,2030-01-01,,,乙,%s,371302,,,,,2024-01-01,,,,\r\n" % code(5)),
            ("手机", "12345", "电话格式不正确", "李,,,12345,,乙,%s,371302,,,,,2024-01-01,,,,\r\n" % code(6)),
            ("邮箱", "li@", "电子邮箱格式不正确", "李,,,,li@,乙,%s,371302,,,,,2024-01-01,,,,\r\n" % code(7)),
            ("企业名称", "", "必填，不能为空", "李,,,,,,%s,371302,,,,,2024-01-01,,,,\r\n" % code(8)),
            ("统一社会信用代码", "91371302DEM0000014", "统一社会信用代码校验位错误：应为 3", "李,,,,,乙,91371302DEM0000014,371302,,,,,2024-01-01,,,,\r\n"),
            ("统一社会信用代码", "123", "统一社会信用代码应为 18 位，实际为 3 位", "李,,,,,乙,123,371302,,,,,2024-01-01,,,,\r\n"),
            ("所在地区", "3713", "所在地区应为 6 位县级行政区划代码", "李,,,,,乙,%s,3713,,,,,2024-01-01,,,,\r\n" % code(9)),
            ("所在地区", "379999", "所在地区代码 379999 不存在", "李,,,,,乙,%s,379999,,,,,2024-01-01,,,,\r\n" % code(10)),
            ("行业代码", "Z9", "行业代码格式不正确", "李,,,,,乙,%s,371302,Z9,,,,2024-01-01,,,,\r\n" % code(11)),
            ("职工人数", "很多", "职工人数应为 0 到 10000000 之间的整数", "李,,,,,乙,%s,371302,,很多,,,2024-01-01,,,,\r\n" % code(12)),
            ("企业规模", "巨型", "企业规模应为 大型、中型 或 小微", "李,,,,,乙,%s,371302,,,巨型,,2024-01-01,,,,\r\n" % code(13)),
            ("类别", "上市", "“上市”不是企业类别", "李,,,,,乙,%s,371302,,,,上市,2024-01-01,,,,\r\n" % code(14)),
            ("聘任日期", "去年", "日期格式不正确", "李,,,,,乙,%s,371302,,,,,去年,,,,\r\n" % code(15)),
            ("任期届满日期", "2023-01-01", "任期届满日期不能早于聘任日期", "李,,,,,乙,%s,371302,,,,,2024-01-01,2023-01-01,,,\r\n" % code(16)),
            ("状态", "离职", "状态应为 在任、任期结束、已解聘 或 已除名", "李,,,,,乙,%s,371302,,,,,2024-01-01,,离职,,\r\n" % code(17)),
            ("终止日期", "2024-05-01", "在任的记录不能填写终止日期或终止原因", "李,,,,,乙,%s,371302,,,,,2024-01-01,,在任,2024-05-01,\r\n" % code(18)),
            ("姓名", "王小明", "与第 2 行是同一企业的同一首席质量官", GOOD % code(1)),
            ("姓名", "赵大", "该企业已有在任首席质量官（记录号 2：张三）", "赵大,,,,,示例精密机械有限公司,91371302DEM0000013,371302,C34,320,中型,规上;链主,2024-01-01,,,,\r\n"),
        ]
        # Line 2 is good; a record over two lines moves the lines after it.
        text = CQO_HEADER + GOOD % code(1) + \
            "钱二,,,,,乙企业,%s,371302,,,,,2024-01-01,,,,\"多行\n备注，\"\"引号\"\"\"\r\n" % code(19)
        text += "".join(b[3] for b in bad)
        path = write(d, "bad.csv", text)
        before = registry_digest(d)
        rc, out, err = ctl(d, "import", "cqos", path)
        assert rc == 1, (rc, out, err)
        lines = err.strip().split("\n")
        for i, (column, value, why, _) in enumerate(bad):
            want = "%s:%d: %s“%s”：%s" % (path, i + 5, column, value, why)
            assert any(l.startswith(want) for l in lines), (want, err)
        assert lines[-1] == "cqoctl import: 未导入：%d 行有错误（见上），数据库未做任何更改" % len(bad), err
        assert len(lines) == len(bad) + 1, err
        assert registry_digest(d) == before

        # Trainings and sanctions name their CQO by enterprise and name.
        t = write(d, "t.csv", "姓名,统一社会信用代码,培训类型,培训日期,学时\r\n"
                              "张三,91371302DEM0000013,讲座,2026-01-01,8\r\n"
                              "张三,91371302DEM0000013,任职培训,2026-07-01,8\r\n"
                              "张三,91371302DEM0000013,任职培训,2026-01-01,0\r\n"
                              "无名,91371302DEM0000013,任职培训,2026-01-01,8\r\n")
        rc, _, err = ctl(d, "import", "trainings", t)
        assert rc == 1, err
        assert "t.csv:2: 培训类型“讲座”：培训类型“讲座”无效" in err, err
        assert "t.csv:3: 培训日期“2026-07-01”：培训日期不能晚于今天（2026-06-15）" in err, err
        assert "t.csv:4: 学时“0”：学时应为大于 0" in err, err
        assert "t.csv:5: 姓名“无名”：该企业没有名为“无名”的首席质量官备案记录" in err, err
        s = write(d, "s.csv", "姓名,统一社会信用代码,处理类型,依据,处理日期,约谈地点\r\n"
                              "张三,91371302DEM0000013,罚款,违法违规,2026-01-01,\r\n"
                              "张三,91371302DEM0000013,警示,态度,2026-01-01,\r\n"
                              "张三,91371302DEM0000013,警示,其他,2026-01-01,会议室\r\n")
        rc, _, err = ctl(d, "import", "sanctions", s)
        assert rc == 1, err
        assert "s.csv:2: 处理类型“罚款”：处理类型应为" in err, err
        assert "s.csv:3: 依据“态度”：处理依据应为" in err, err
        assert "s.csv:4: 约谈地点“会议室”：只有约谈才填写" in err, err
        assert registry_digest(d) == before

        # File-level problems are one line each.
        for text, why in (("姓名,企业名称\r\n", "缺少必需的列“统一社会信用代码”"),
                          ("", "文件为空或没有表头"),
                          (CQO_HEADER + "\"没有右引号,\r\n", "bad2.csv:2: 引号不配对")):
            p = write(d, "bad2.csv", text)
            rc, _, err = ctl(d, "import", "cqos", p)
            assert rc == 1 and why in err and err.count("\n") == 1, (text, err)


FORM_HEADER = ("首席质量官姓名,性别,出生日期,学历,专业,质量工作年限,现任职务,职称,联系电话/手机,Email,"
               "所在企业名称,统一社会信用代码,所属行业,所在地,企业员工数,企业性质,企业规模,"
               "主营业务/主要产品,首席质量官工作简历 (包括取得的质量管理成果及经验、获奖情况等),"
               "首席质量官聘任时间,备注")


def test_form_as_written_and_unknown_columns():
    """The 信息表's own labels are the columns; 所在地 by name; a column the
    import does not know is an error naming it unless --ignore-column."""
    d = daemon()
    with d:
        row = ("李明,男,1980-01-02,本科,机械工程,12年,质量副总,高级工程师,13900000009,lm@example.com,"
               "丙企业,%s,制造业,%s,320,民营,中型企业,轴承,2010年起从事质量工作,2024年1月1日,")
        text = FORM_HEADER + ",填表日期\r\n" + row % (code(31), "临沂市兰山区") + ",2024-01-01\r\n"
        path = write(d, "form.csv", text)
        before = registry_digest(d)
        rc, out, err = ctl(d, "import", "cqos", path)
        assert rc == 1 and err.count("\n") == 1, (rc, out, err)
        assert "无法识别的列：“填表日期”" in err and "--ignore-column" in err, err
        assert registry_digest(d) == before
        out = ok(d, "import", "cqos", path, "--ignore-column", "填表日期")
        assert "备案记录：新增 1" in out, out
        got = rows(d, "SELECT e.region_code, e.industry_code, e.size, e.employees,"
                      " e.main_products, p.major, p.quality_years, p.position, p.resume,"
                      " a.start_date FROM appointments a JOIN people p ON p.id = a.person_id"
                      " JOIN enterprises e ON e.id = a.enterprise_id WHERE p.name = '李明'")
        assert got == [("371302", "C", "中型", 320, "轴承", "机械工程", 12, "质量副总",
                        "2010年起从事质量工作", "2024-01-01")], got

        # 所在地 matching no county, or several, is refused with the choices.
        text = FORM_HEADER + "\r\n" + row % (code(32), "鼓楼区") + "\r\n" + \
            row.replace("李明", "李亮") % (code(33), "火星区") + "\r\n"
        path = write(d, "form2.csv", text)
        rc, out, err = ctl(d, "import", "cqos", path)
        assert rc == 1, (rc, out, err)
        assert "form2.csv:2: 所在地“鼓楼区”：对应 " in err and "320106 江苏省南京市鼓楼区" in err, err
        assert "form2.csv:3: 所在地“火星区”：不是已知的县（区）级行政区" in err, err

        # Two unknown columns, one ignored: the other is still named.
        path = write(d, "form3.csv", "姓名,企业名称,统一社会信用代码,所在地区,聘任日期,序号,照片\r\n"
                                     "赵亮,丁,%s,371302,2024-01-01,1,\r\n" % code(34))
        rc, _, err = ctl(d, "import", "cqos", path, "--ignore-column", "序号")
        assert rc == 1 and "无法识别的列：“照片”" in err and "序号" not in err, err
        out = ok(d, "import", "cqos", path, "--ignore-column", "序号", "--ignore-column", "照片")
        assert "备案记录：新增 1" in out, out


def test_reimport_changes_nothing_and_updates_are_audited():
    d = daemon()
    with d:
        path = os.path.join(d.dir, "cqos.csv")
        gen_import.write(200, path)
        d._own()
        ok(d, "import", "cqos", path)
        before = registry_digest(d)
        out = ok(d, "import", "cqos", path)
        assert "企业：新增 0，更新 0，无变化 200" in out, out
        assert "人员：新增 0，更新 0，无变化 200" in out, out
        assert "备案记录：新增 0，更新 0，无变化 200" in out, out
        assert registry_digest(d) == before

        # One changed cell: one update, one audit row with before and after.
        with open(path, encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        table[3][9] = "changed@example.com"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(table)
        d._own()
        n = one(d, "SELECT count(*) FROM audit_log")
        out = ok(d, "import", "cqos", path)
        assert "人员：新增 0，更新 1，无变化 199" in out, out
        audit = rows(d, "SELECT entity, before_json, after_json FROM audit_log WHERE id > ?", n)
        assert len(audit) == 1 and audit[0][0] == "person", audit
        assert "changed@example.com" in audit[0][2] and "changed" not in audit[0][1]

        # --dry-run reports and keeps nothing.
        table[3][9] = "again@example.com"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(table)
        d._own()
        before = registry_digest(d)
        out = ok(d, "import", "cqos", path, "--dry-run")
        assert "更新 1" in out and "试运行" in out, out
        assert registry_digest(d) == before


def test_unchanged_row_after_a_row_that_changes_its_person():
    """A row that would change nothing is not written, unless an earlier
    row of the file writes its person or enterprise: the rows then go in
    as written, in file order, and the last one says what the person is."""
    d = daemon()
    with d:
        row = "王小明,男,1980-01-02,%s,%s,%s,%s,371302,C34,100,中型,规上,2024-01-01,,在任,,\r\n"
        first = write(d, "first.csv", CQO_HEADER + row % ("13900000001", "old@example.com",
                                                          "甲企业", code(1)))
        ok(d, "import", "cqos", first)
        # A new record at another enterprise reuses 王小明 by phone and
        # changes his email; the row of his first record, without a phone,
        # is as stored, yet comes after.
        both = write(d, "both.csv", CQO_HEADER +
                     row % ("13900000001", "new@example.com", "乙企业", code(2)) +
                     row % ("", "old@example.com", "甲企业", code(1)))
        out = ok(d, "import", "cqos", both)
        assert "备案记录：新增 1，更新 0，无变化 1" in out, out
        assert "人员：新增 0，更新 2，无变化 0" in out, out
        assert rows(d, "SELECT email FROM people WHERE name = '王小明'") == [("old@example.com",)]
        out = ok(d, "import", "cqos", first)
        assert "已分 0 批" in out and "人员：新增 0，更新 0，无变化 1" in out, out


def stamped(value):
    """A clock reading (unix seconds within a day of FAKE_NOW) as "now": the
    fake clock runs from FAKE_NOW, so two imports of the same rows may write
    them a second apart under load, and that second is not what they wrote."""
    now = fake_now(FAKE_NOW)
    if isinstance(value, int) and abs(value - now) <= 86400:
        return "now"
    return value


def test_reimport_known_rows_as_checked_in_full():
    """A re-import that knows its unchanged rows from their digests
    (import_digests) says, writes and audits exactly what one that checks
    every row in full does, on a file mixing unchanged, changed and new
    rows; the one that checked in full remembers the same digests."""
    d = daemon()
    with d:
        first = os.path.join(d.dir, "first.csv")
        gen_import.write(60, first)
        d._own()
        ok(d, "import", "cqos", first)
        path = os.path.join(d.dir, "mixed.csv")
        gen_import.write(70, path)   # the same 60 rows, then 10 new ones
        with open(path, encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        table[4][9] = "changed@example.com"   # a person
        table[6][14] = "4321"                  # an enterprise
        table[9][24] = "改过的备注"             # a record
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(table)
        d._own()
        src = sqlite3.connect(d.db)
        copies = []
        for name, forget in (("known.db", False), ("full.db", True)):
            copy = os.path.join(d.dir, name)
            dst = sqlite3.connect(copy)
            src.backup(dst)
            if forget:
                dst.execute("DELETE FROM import_digests")
                dst.commit()
            dst.close()
            copies.append(copy)
        src.close()
        assert one(d, "SELECT count(*) FROM import_digests") >= 60
        d._own()
        outs, tables = [], []
        for copy in copies:
            cmd = as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-d", copy,
                                      "--data-dir", os.path.join(ROOT, "data"),
                                      "import", "cqos", path]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=d.env)
            assert r.returncode == 0, r.stderr
            outs.append(re.sub(r"每批最长 \d+ 毫秒", "", r.stdout))
            db = sqlite3.connect(copy)
            names = [n for (n,) in db.execute("SELECT name FROM sqlite_master"
                                              " WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                                              " AND sql NOT LIKE 'CREATE VIRTUAL%'"
                                              " ORDER BY name")]
            tables.append({n: [tuple(stamped(v) for v in row) for row in
                               db.execute("SELECT * FROM \"%s\" ORDER BY 1, 2" % n)]
                           for n in names})
            db.close()
        assert outs[0] == outs[1], outs
        assert "企业：新增 10，更新 1，无变化 59" in outs[0], outs[0]
        assert "人员：新增 10，更新 1，无变化 59" in outs[0], outs[0]
        assert "备案记录：新增 10，更新 1，无变化 59" in outs[0], outs[0]
        assert tables[0].keys() == tables[1].keys()
        for n in tables[0]:
            assert tables[0][n] == tables[1][n], n
        assert len(tables[0]["import_digests"]) >= 70


def test_skip_bad_writes_reject_file():
    d = daemon()
    with d:
        text = ("企业名称,统一社会信用代码,所在地区,规上,专精特新\r\n"
                "甲,%s,371302,是,\r\n"
                "乙,%s,371302,也许,\r\n"
                "丙,123,371302,,\r\n"
                "丁,%s,371302,,1\r\n") % (code(1), code(2), code(3))
        path = write(d, "ent.csv", text)
        rc, out, err = ctl(d, "import", "enterprises", path, "--skip-bad")
        assert rc == 0, err
        assert "企业：新增 2，更新 0，无变化 0" in out, out
        reject = os.path.join(d.dir, "ent.rejects.csv")
        assert "2 行有错误，未导入，已写入 %s" % reject in out, out
        data = read_bytes(reject)
        assert data.startswith(b"\xef\xbb\xbf"), data
        got = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert got == [["企业名称", "统一社会信用代码", "所在地区", "规上", "专精特新", "错误原因"],
                       ["乙", code(2), "371302", "也许", "", "规上：应填 是 或 否（也可填 1 或 0）"],
                       ["丙", "123", "371302", "", "",
                        "统一社会信用代码：统一社会信用代码应为 18 位，实际为 3 位"]], got
        assert rows(d, "SELECT e.name, t.tag FROM enterprises e JOIN enterprise_tags t"
                       " ON t.enterprise_id = e.id WHERE e.name IN ('甲', '丁')"
                       " ORDER BY e.name") == [("丁", "专精特新"), ("甲", "规上")]
        # The corrected reject file imports; its 错误原因 column is ignored.
        fixed = data.decode("utf-8-sig").replace("也许", "是").replace(",123,", "," + code(4) + ",")
        write(d, "ent.rejects.csv", fixed)
        out = ok(d, "import", "enterprises", reject, "--tag", "质量奖")
        assert "企业：新增 2" in out, out
        assert rows(d, "SELECT e.name FROM enterprises e JOIN enterprise_tags t"
                       " ON t.enterprise_id = e.id WHERE t.tag = '质量奖' AND e.name IN"
                       " ('甲', '乙', '丙', '丁') ORDER BY e.name") == [("丙",), ("乙",)]


def test_import_annual_list_feeds_stats():
    """--year makes the file's categories that year's list; statistics of a
    later year without a list use it and say so."""
    d = daemon()
    with d:
        a = write(d, "2024.csv", "企业名称,统一社会信用代码,所在地区\r\n甲,%s,371302\r\n"
                                 "乙,%s,371302\r\n" % (code(11), code(12)))
        b = write(d, "2025.csv", "企业名称,统一社会信用代码,所在地区\r\n甲,%s,371302\r\n"
                                 % code(11))
        ok(d, "import", "enterprises", a, "--tag", "规上", "--year", "2024")
        ok(d, "import", "enterprises", b, "--tag", "规上", "--year", "2025")
        assert rows(d, "SELECT e.name, t.year FROM enterprises e JOIN enterprise_tags t"
                       " ON t.enterprise_id = e.id WHERE e.name IN ('甲', '乙')"
                       " ORDER BY e.name, t.year") == [("乙", 2024), ("甲", 2024), ("甲", 2025)]
        rc, out, err = ctl(d, "import", "trainings", a, "--year", "2025")
        assert rc != 0 and "--tag 和 --year 只能用于 enterprises 和 cqos" in err, (out, err)
        rc, out, err = ctl(d, "import", "enterprises", a, "--year", "1999")
        assert rc != 0 and "年份应为 2000 到 2200 之间的整数" in err, (out, err)
        for year, listed in ((2024, 2024), (2025, 2025), (2026, 2025)):
            doc = json.loads(ok(d, "export", "stats", "--region", "371302", "--year", str(year),
                                "--format", "json", "--category", "规上"))
            block = doc["categories"][0]
            assert block["list_year"] == listed, (year, block)
            assert block["as_of"] == ("%d-12-31" % year if year < 2026 else "2026-06-15"), block
        ok(d, "grant", "generic", "u-admin", "admin")
        d.start()
        status, body = d.webhook("统计 371302 2026", "annual-list")
        assert status == 200 and "2026 年尚无规上企业名单，沿用 2025 年名单。" in body["reply"]["text"], body


def export_all(d, suffix):
    paths = {}
    for what in ("enterprises", "registry", "trainings", "sanctions"):
        paths[what] = os.path.join(d.dir, "%s%s.csv" % (what, suffix))
        ok(d, "export", what, "-o", paths[what])
    return paths


def test_export_round_trip():
    src = daemon()
    with src:
        gen = os.path.join(src.dir, "gen.csv")
        gen_import.write(150, gen)
        src._own()
        ok(src, "import", "cqos", gen)
        first = export_all(src, "")
        data = read_bytes(first["registry"])
        assert data.startswith(b"\xef\xbb\xbf\xe8\xae\xb0\xe5\xbd\x95\xe5\x8f\xb7,"), data[:40]
        assert b"\r\n" in data and "示例精密机械有限公司".encode() in data
        fresh = daemon(seed=None)
        with fresh:
            for what, kind in (("enterprises", "enterprises"), ("registry", "cqos"),
                               ("trainings", "trainings"), ("sanctions", "sanctions")):
                dst = os.path.join(fresh.dir, what + ".csv")
                shutil.copy(first[what], dst)
                fresh._own()
                ok(fresh, "import", kind, dst)
            second = export_all(fresh, ".2")
            for what in first:
                assert read_bytes(first[what]) == read_bytes(second[what]), what
            rc, out, _ = ctl(fresh, "check")
            assert rc == 0 and "备案记录 156 条" in out, out

        # JSON: the same rows with English keys.
        out = ok(src, "export", "registry", "--format", "json", "--region", "371302")
        records = json.loads(out)
        assert records and all(r["region_code"].startswith("371302") for r in records)
        zs = [r for r in records if r["name"] == "张三"][0]
        assert zs["record_id"] == 2 and zs["status"] == "active", zs
        assert zs["categories"] == "规上;链主" and zs["quality_years"] == 12, zs
        assert zs["position"] == "副总经理", zs


def chat_table(d, text, n):
    status, body = d.webhook(text, "stats-%d" % n)
    assert status == 200 and not body["reply"]["error"], body
    return body["reply"]["table"]


def test_stats_export_equals_chat():
    d = daemon()
    with d:
        ok(d, "grant", "generic", "u-admin", "admin")
        out = ok(d, "target", "set", "3713", "规上", "2026", "60%")
        assert "已设定 临沂市（3713）规上企业 2026 年聘任率目标：60.0%" in out, out
        ok(d, "target", "set", "371311", "规上", "2026", "0.5")
        ok(d, "target", "set", "37", "食品", "2026", "100")
        gen = os.path.join(d.dir, "gen.csv")
        gen_import.write(60, gen)
        d._own()
        ok(d, "import", "cqos", gen)
        d.start()
        n = 0
        for region, category in (("3713", "规上"), ("", "规上"), ("37", "食品"),
                                 ("371302", "规上"), ("11", "专精特新"), ("37", "中小企业")):
            n += 1
            table = chat_table(d, ("统计 %s %s 2026" % (region, category)).replace("  ", " "), n)
            args = ["export", "stats", "--category", category, "--year", "2026"]
            if region:
                args += ["--region", region]
            data = ok(d, *args)
            got = list(csv.reader(io.StringIO(data.lstrip("\ufeff"), newline="")))
            assert got[0] == ["地区代码", "地区", "类别", "年份"] + table[0][1:], got[0]
            assert len(table) > 1, table
            assert [r[1:2] + r[4:] for r in got[1:]] == table[1:], (region, got, table)
            assert all(r[2] == category and r[3] == "2026" for r in got[1:])

        # The chat's words for a category name it here too; the rows carry
        # the stored name.
        for word, stored in (("规模以上", "规上"), ("sme", "中小企业")):
            rows = list(csv.reader(io.StringIO(ok(d, "export", "stats", "--category", word,
                                                  "--year", "2026").lstrip("\ufeff"),
                                               newline="")))[1:]
            assert rows and all(r[2] == stored for r in rows), (word, rows)
        rc, out, err = ctl(d, "export", "stats", "--category", "大型")
        assert rc != 0 and "中小企业" in err, (out, err)

        # Every category at once; JSON has the numbers.
        data = ok(d, "export", "stats", "--region", "3713", "--year", "2026")
        cats = [r[2] for r in csv.reader(io.StringIO(data.lstrip("\ufeff"), newline=""))][1:]
        assert sorted(set(cats)) == sorted(["规上", "链主", "好品", "质量奖", "专精特新", "标杆",
                                            "食品", "药品", "特种设备"]), cats
        doc = json.loads(ok(d, "export", "stats", "--region", "3713", "--year", "2026",
                            "--format", "json", "--category", "规上"))
        total = doc["categories"][0]["total"]
        assert doc["region_name"] == "临沂市" and total["target"] == 0.6, doc
        assert abs(total["rate"] - total["appointed"] / total["enterprises"]) < 1e-9


def test_backup_while_daemon_writes_restores_consistently():
    d = daemon()
    with d:
        ok(d, "grant", "generic", "u-admin", "admin")
        gen = os.path.join(d.dir, "gen.csv")
        gen_import.write(2000, gen)
        d._own()
        ok(d, "import", "cqos", gen)
        d.start()
        stop = threading.Event()
        sent = []

        def writer():
            conn = d.conn()
            i = 0
            while not stop.is_set():
                i += 1
                status, body = d.webhook("培训 2 线上自学 2026-06-01 0.5", "w-%d" % i, conn=conn)
                assert status == 200 and not body["reply"]["error"], body
                sent.append(i)
            conn.close()

        t = threading.Thread(target=writer)
        t.start()
        try:
            while len(sent) < 20:
                threading.Event().wait(0.05)
            backup = os.path.join(d.dir, "backup.db")
            out = ok(d, "backup", backup)
            assert "已备份到 %s" % backup in out, out
            after = len(sent) + 10
            while len(sent) < after:
                threading.Event().wait(0.05)
        finally:
            stop.set()
            t.join()
        written = len(sent)
        assert d.stop() == 0
        # Everything in the backup is whole: each training with its audit row.
        copy = sqlite3.connect(backup)
        trainings = copy.execute("SELECT count(*) FROM trainings WHERE appointment_id = 2"
                                 " AND date = '2026-06-01' AND hours = 0.5").fetchone()[0]
        audits = copy.execute("SELECT count(*) FROM audit_log WHERE entity = 'training'"
                              " AND command = '培训'").fetchone()[0]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        copy.close()
        assert 20 <= trainings <= written and trainings == audits, (trainings, audits, written)
        assert not os.path.exists(backup + ".part")

        rc, out, err = ctl(d, "-d", backup, "check")
        assert rc == 0 and "备案记录 2006 条" in out, (out, err)

        # Restore: stop (done), copy over the database, drop its WAL, start.
        shutil.copy(backup, d.db)
        for suffix in ("-wal", "-shm"):
            if os.path.exists(d.db + suffix):
                os.unlink(d.db + suffix)
        d._own()
        rc, out, err = ctl(d, "check")
        assert rc == 0 and "完整性检查（integrity_check）：正常" in out, (out, err)
        assert "外键检查（foreign_key_check）：正常" in out, out
        d.start()
        _, body = d.webhook("查询 张三", "after-restore")
        assert "张三" in body["reply"]["text"], body
        assert one(d, "SELECT count(*) FROM trainings WHERE appointment_id = 2"
                      " AND date = '2026-06-01' AND hours = 0.5") == trainings
        assert one(d, "SELECT count(*) FROM appointments") == 2006


def test_grant_revoke_roles():
    d = daemon()
    with d:
        out = ok(d, "grant", "generic", "@boss", "管理员")
        assert out == "已将 generic:boss 授权为管理员：全部地区。\n", out
        out = ok(d, "grant", "generic", "k1", "clerk", "371302")
        assert "已将 generic:k1 授权为工作人员：兰山区（371302）。" in out, out
        out = ok(d, "grant", "generic", "o1", "organizer", "示例市首席质量官联盟（演示）")
        assert "组织者" in out and "联盟编号 1" in out, out
        # cqo takes the 记录号, as the chat's 授权: record 2 is 张三 (person 1),
        # record 5 王五 (person 3), whatever the people's own numbers.
        out = ok(d, "grant", "generic", "z1", "cqo", "2")
        assert "张三（记录号 2）" in out, out
        out = ok(d, "grant", "generic", "w5", "cqo", "5")
        assert "王五（记录号 5）" in out, out
        assert rows(d, "SELECT user_id, person_id FROM identities WHERE role = 'cqo'"
                       " ORDER BY user_id") == [("w5", 3), ("z1", 1)]
        for args, status, why in (
                (["grant", "generic", "x", "boss"], 2, "未知角色“boss”"),
                (["grant", "generic", "x", "clerk"], 2, "工作人员需要管辖地区代码"),
                (["grant", "generic", "x", "admin", "37"], 2, "管理员角色不带范围"),
                (["grant", "generic", "x", "clerk", "379999"], 1, "地区代码 379999 不存在"),
                (["grant", "generic", "x", "organizer", "无此联盟"], 1, "没有名称或编号为“无此联盟”的联盟"),
                (["grant", "generic", "x", "cqo", "999"], 1, "记录号 999 不存在"),
                (["grant", "generic", "x", "cqo", "张三"], 2, "记录号应为正整数"),
                (["grant", "generic", "x", "cqo"], 2, "首席质量官需要其备案记录号"),
                (["grant", "generic", "boss", "clerk", "37"], 1, "generic:boss 是最后一位管理员"),
                (["revoke", "generic", "boss"], 1, "generic:boss 是最后一位管理员"),
                (["revoke", "generic", "nobody-here"], 1, "用户 generic:nobody-here 没有任何授权"),
                (["roles", "--role", "boss"], 2, "未知角色“boss”")):
            rc, out, err = ctl(d, *args)
            assert rc == status and why in err and err.count("\n") == 1, (args, rc, err)
        out = ok(d, "roles")
        lines = out.strip().split("\n")
        assert lines[0] == "已授权用户（共 5 个）", out
        assert lines[1].startswith("1. generic:boss") and "管理员" in lines[1], out
        assert ok(d, "roles", "--role", "clerk", "--scope", "37").count("\n") == 2
        out = ok(d, "revoke", "generic", "k1")
        assert "已撤销 generic:k1 的工作人员角色" in out, out
        audit = rows(d, "SELECT actor_platform, actor_user, command, entity FROM audit_log")
        assert audit == [("cqoctl", unix_user(), "grant", "identity")] * 5 + \
            [("cqoctl", unix_user(), "revoke", "identity")], audit


def test_policy_target_calendar():
    d = daemon()
    with d:
        out = ok(d, "policy", "show", "371302")
        assert "地区：兰山区（371302）" in out and "任期：36 个月" in out, out
        out = ok(d, "policy", "set", "3713", "--term-months", "48", "--annual-hours=24",
                 "--education", "本科", "--mode", "any", "--remind-days", "60,7")
        assert "任期：48 个月" in out and "年度培训学时：24.0" in out, out
        assert "最低学历：本科" in out and "满足其一即可" in out and "届满前 60,7 天" in out, out
        out = ok(d, "policy", "show", "371302")
        assert "生效设置来自：临沂市（3713）" in out and "任期：48 个月" in out, out
        assert one(d, "SELECT count(*) FROM audit_log WHERE entity = 'policy'"
                      " AND actor_platform = 'cqoctl'") == 1
        # Annual hours (issue 15): none unless a policy sets them; the kinds
        # that count, pro rata, and the reminder days shown are those sent.
        out = ok(d, "policy", "show", "110101")
        assert "生效设置来自：内置默认值" in out and "年度培训学时：不要求" in out, out
        assert "年度学时提醒：无" in out, out
        out = ok(d, "policy", "show", "610113")
        assert "年度培训学时：30.0" in out and "计入学时的培训：线上自学" in out, out
        assert "年中聘任：不折算" in out and "年度学时提醒：每年 09-01,11-01,12-01" in out, out
        out = ok(d, "policy", "set", "61", "--training-month", "6", "--prorate", "yes")
        assert "年度学时提醒：每年 06-01" in out and "年中聘任：按剩余月数折算学时" in out, out
        out = ok(d, "policy", "set", "61", "--hours-kinds", "继续教育,线上自学",
                 "--hours-remind", "10-15,12-01")
        assert "计入学时的培训：继续教育,线上自学" in out, out
        assert "年度学时提醒：每年 10-15,12-01" in out, out
        assert one(d, "SELECT hours_kinds || '|' || hours_prorate || '|' || hours_remind_dates"
                      " FROM policies WHERE region_code = '61'") == "继续教育,线上自学|1|10-15,12-01"
        # The post and the declared disqualifications (issue 15): Nantong's
        # rules as a jurisdiction sets them.
        out = ok(d, "policy", "show", "610113")
        assert "任职岗位：主要负责人,高层副职（小微企业不限）" in out, out
        assert "不得担任情形（须声明）：不要求" in out, out
        out = ok(d, "policy", "set", "3206", "--positions", "高层副职,质量部门负责人",
                 "--disqualifications", "利用履行职责之便谋取不正当利益|滥用职权，干预企业正常经营秩序")
        assert "任职岗位：高层副职,质量部门负责人\n" in out, out
        assert "不得担任情形（须声明）：利用履行职责之便谋取不正当利益|滥用职权，干预企业正常经营秩序" in out, out
        assert one(d, "SELECT positions || '|' || positions_small_exempt FROM policies"
                      " WHERE region_code = '3206'") == "高层副职,质量部门负责人|0"
        out = ok(d, "policy", "set", "3206", "--positions", "none", "--disqualifications", "无")
        assert "任职岗位：不限" in out and "不得担任情形（须声明）：不要求" in out, out
        for args, why in ((["policy", "set", "3206", "--positions", "部长"], "--positions 的值“部长”无效"),
                          (["policy", "set", "3206", "--positions", "高层副职,高层副职"], "--positions 的值“高层副职,高层副职”无效"),
                          (["policy", "set", "3206", "--disqualifications", "甲||乙"], "--disqualifications 的值“甲||乙”无效"),
                          (["policy", "set", "3206", "--positions-small-exempt", "maybe"], "--positions-small-exempt 的值“maybe”无效")):
            rc, _, err = ctl(d, *args)
            assert rc == 2 and why in err, (args, err)
        for args, why in ((["policy", "set", "61", "--hours-kinds", "外出考察"], "--hours-kinds 的值“外出考察”无效"),
                          (["policy", "set", "61", "--hours-remind", "02-30"], "--hours-remind 的值“02-30”无效"),
                          (["policy", "set", "61", "--prorate", "maybe"], "--prorate 的值“maybe”无效"),
                          (["policy", "set", "61", "--training-month", "13"], "--training-month 的值“13”无效")):
            rc, _, err = ctl(d, *args)
            assert rc == 2 and why in err, (args, err)
        for args, why in ((["policy", "set", "3713", "--term-months", "0"], "--term-months 的值“0”无效"),
                          (["policy", "set", "3713"], "请至少给出一项"),
                          (["policy", "set", "3713", "--education", "小学"], "--education 的值“小学”无效"),
                          (["policy", "show", "379999"], "地区代码 379999 不存在"),
                          (["policy", "drop", "3713"], "应为 policy show")):
            rc, _, err = ctl(d, *args)
            assert rc == 2 and why in err and err.count("\n") == 1, (args, err)

        out = ok(d, "target", "set", "3713", "链主", "2026", "0.3")
        assert "30.0%" in out, out
        out = ok(d, "target", "set", "3713", "链主", "2026", "40")
        assert "原目标为 30.0%" in out, out
        out = ok(d, "target", "list", "--region", "37")
        assert "临沂市（3713）链主企业 2026 年：40.0%" in out, out
        assert "规上企业 2025 年：10.0%" in out, out
        assert ok(d, "target", "list", "--year", "2030") == "没有设定聘任率目标\n"
        # Targets other than the rate, as the seeds set them.
        out = ok(d, "target", "set", "3713", "规上", "2026", "新备案", "500")
        assert "已设定 临沂市（3713）规上企业 2026 年当年新备案目标：500 名" in out, out
        out = ok(d, "target", "set", "3713", "规上", "2026", "trained", "100%")
        assert "年首席质量官任职培训目标：100.0%" in out, out
        out = ok(d, "target", "list", "--region", "3713", "--year", "2026")
        assert "临沂市（3713）规上企业 2026 年当年新备案：500 名" in out, out
        assert "临沂市（3713）规上企业 2026 年任职培训：100.0%" in out, out
        total = json.loads(ok(d, "export", "stats", "--region", "3713", "--year", "2026",
                              "--format", "json", "--category", "规上"))["categories"][0]["total"]
        assert total["new_filings_target"] == 500, total
        assert total["new_filings_gap"] == 500 - total["new_filings"], total
        assert total["trained_target"] == 1, total
        for args, why in ((["target", "set", "3713", "规上", "2026", "人数", "5"], "目标类型“人数”无法识别"),
                          (["target", "set", "3713", "规上", "2026", "新备案", "5.5"], "新备案目标应为")):
            rc, _, err = ctl(d, *args)
            assert rc == 2 and why in err, (args, err)
        for args, why in ((["target", "set", "3713", "上市", "2026", "0.3"], "企业类别应为"),
                          (["target", "set", "3713", "规上", "1999", "0.3"], "年份应为"),
                          (["target", "set", "3713", "规上", "2026", "120%"], "比例应为"),
                          (["target", "set", "3x", "规上", "2026", "1"], "地区代码应为")):
            rc, _, err = ctl(d, *args)
            assert rc == 2 and why in err and err.count("\n") == 1, (args, err)

        out = ok(d, "calendar", "load", os.path.join(d.data_dir, "cn-workcalendar.csv"))
        days = one(d, "SELECT count(*) FROM calendar")
        assert days > 200 and "新增 %d 天，更新 0 天，无变化 0 天" % days in out, out
        out = ok(d, "calendar", "load", os.path.join(d.data_dir, "cn-workcalendar.csv"))
        assert "新增 0 天，更新 0 天，无变化 %d 天" % days in out, out
        cal = write(d, "cal.csv", "日期,类型,名称\r\n2027-01-01,休,元旦\r\n2027-02-30,休,\r\n"
                                  "2027-02-06,上课,\r\n")
        rc, _, err = ctl(d, "calendar", "load", cal)
        assert rc == 1, err
        assert "cal.csv:3: 日期“2027-02-30”：日期不存在" in err, err
        assert "cal.csv:4: 类型“上课”应为 holiday（休）或 workday（班）" in err, err
        assert one(d, "SELECT count(*) FROM calendar") == days


def test_help_and_one_line_errors():
    d = daemon()
    with d:
        out = ok(d, "--help")
        for name in ("import", "export", "backup", "check", "grant", "revoke", "roles", "policy",
                     "target", "calendar"):
            assert "\n  %s " % name in out, (name, out)
            rc, sub, err = ctl(d, name, "--help")
            assert rc == 0 and sub.startswith("用法：cqoctl %s" % name) and not err, (name, sub)
        for args, status, why in ((["frobnicate"], 2, "未知命令“frobnicate”"),
                                  ([], 2, "缺少命令"),
                                  (["import", "people", "x.csv"], 2, "导入类型应为"),
                                  (["import", "cqos"], 2, "参数个数不对"),
                                  (["import", "cqos", "x.csv", "--encoding", "big5"], 2, "编码应为"),
                                  (["import", "cqos", "x.csv", "--tag", "上市"], 2, "“上市”不是企业类别"),
                                  (["import", "cqos", "/nonexistent.csv"], 1, "/nonexistent.csv："),
                                  (["export", "everything"], 2, "导出内容应为"),
                                  (["export", "registry", "--format", "xml"], 2, "格式应为"),
                                  (["export", "registry", "--region", "379999"], 2, "地区代码 379999 不存在"),
                                  (["export", "registry", "-o", "/nonexistent/x.csv"], 1, "/nonexistent/x.csv："),
                                  (["backup"], 2, "参数个数不对"),
                                  (["backup", "/nonexistent/b.db"], 1, "备份到 /nonexistent/b.db 失败：No such file"),
                                  (["check", "extra"], 2, "参数个数不对"),
                                  (["seed", "0"], 2, "N 应为 1 到 10000000 之间的整数")):
            rc, out, err = ctl(d, *args)
            assert rc == status and why in err and err.count("\n") == 1, (args, rc, err)
            assert err.startswith("cqoctl"), err


def start_ctl(d, *args):
    """Starts cqoctl as the daemon's user without waiting for it."""
    d._own()
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config] + list(args)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=d.env)


def wait_opened(d, proc):
    """Waits (bounded) until cqoctl has the database open: its -wal file is
    there. This process may be root, and the -wal and -shm files it created
    could not be written by cqoctl running as nobody."""
    for _ in range(2000):
        if os.path.exists(d.db + "-wal") or proc.poll() is not None:
            return
        time.sleep(0.005)


def write_alongside(d, proc, count_sql, before, n):
    """Another writer while cqoctl runs: every 10 ms BEGIN IMMEDIATE with a
    200 ms busy timeout, a count of what cqoctl wrote so far, a one-row
    insert and COMMIT. Returns the writes done, the writes that timed out,
    the writes that saw cqoctl's job part done, and the waits for the lock
    in ms."""
    wait_opened(d, proc)
    other = sqlite3.connect(d.db, timeout=0.2, isolation_level=None)
    done = timeouts = partial = 0
    waits = []
    try:
        while proc.poll() is None:
            t0 = time.monotonic()
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                assert "locked" in str(e), e
                timeouts += 1
                continue
            waits.append((time.monotonic() - t0) * 1000)
            seen = other.execute(count_sql).fetchone()[0]
            other.execute("INSERT INTO inbound (platform, msg_id, received_at)"
                          " VALUES ('other', ?, 0)", ("m-%d" % done,))
            other.execute("COMMIT")
            done += 1
            partial += before < seen < before + n
            time.sleep(0.01)
    finally:
        other.close()
    return done, timeouts, partial, waits


def chunk_line(out):
    return [l for l in out.split("\n") if "批" in l]


@alone
def test_large_import_lets_other_writers_through():
    """A 10,000-row import commits in short chunks with the write lock free
    between them: a writer with a 200 ms busy timeout never times out."""
    n = sized(10000, 4000)   # many ~100 ms chunks either way
    d = daemon()
    with d:
        path = os.path.join(d.dir, "big.csv")
        gen_import.write(n, path)
        count = "SELECT count(*) FROM appointments"
        before = one(d, count)
        proc = start_ctl(d, "import", "cqos", path)
        done, timeouts, partial, waits = write_alongside(d, proc, count, before, n)
        out, err = proc.communicate(timeout=300)
        print("    import of %d rows: %s; other writer: %d writes, %d timed out, %d between"
              " chunks, longest wait %.0f ms" % (n, chunk_line(out), done, timeouts, partial,
                                                 max(waits or [0])))
        assert proc.returncode == 0, err
        assert "企业：新增 %d，更新 0，无变化 0" % n in out, out
        assert timeouts == 0, (done, timeouts)
        assert done >= 10 and partial >= 1, (done, partial)
        assert one(d, count) == before + n
        assert one(d, "SELECT count(*) FROM inbound WHERE platform = 'other'") == done


@alone
def test_large_seed_lets_other_writers_through():
    """cqoctl seed writes its generated CQOs in short chunks too."""
    n = sized(30000, 12000)
    d = daemon()
    with d:
        count = "SELECT count(*) FROM appointments"
        before = one(d, count)
        proc = start_ctl(d, "seed", str(n))
        done, timeouts, partial, waits = write_alongside(d, proc, count, before, n)
        out, err = proc.communicate(timeout=300)
        print("    seed of %d CQOs: %s; other writer: %d writes, %d timed out, %d between"
              " chunks, longest wait %.0f ms" % (n, chunk_line(out), done, timeouts, partial,
                                                 max(waits or [0])))
        assert proc.returncode == 0, err
        assert timeouts == 0, (done, timeouts)
        assert done >= 10 and partial >= 1, (done, partial)
        assert one(d, count) == before + n
        assert one(d, "SELECT count(*) FROM trainings") == one(d, "SELECT count(*) FROM trainings"
                                                              " WHERE appointment_id <= 6") + n
        # What the deferred triggers write at each chunk's end: every record's
        # first term, every enterprise in the name index 查询 reads.
        assert one(d, "SELECT count(*) FROM appointments a WHERE NOT EXISTS (SELECT 1 FROM"
                      " appointment_terms t WHERE t.appointment_id = a.id)") == 0
        firm, person = rows(d, "SELECT e.name, p.name FROM appointments a JOIN enterprises e"
                               " ON e.id = a.enterprise_id JOIN people p ON p.id = a.person_id"
                               " ORDER BY a.id DESC LIMIT 1")[0]
        ok(d, "grant", "generic", "u-admin", "admin")
        d.start()
        _, body = d.webhook("查询 " + firm, "q-seed")
        assert person in body["reply"]["text"], body


def registry_content(d):
    """What an import writes, without the timestamps (which follow the
    clock): records with their enterprise and person, tags, audit rows."""
    return [rows(d, "SELECT a.id, a.status, a.start_date, a.term_end, a.ended_on, a.doc_no,"
                    " e.id, e.credit_code, e.name, e.region_code, p.id, p.name, p.phone,"
                    " p.resume FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
                    " JOIN people p ON p.id = a.person_id ORDER BY a.id"),
            rows(d, "SELECT * FROM enterprise_tags ORDER BY 1, 2"),
            rows(d, "SELECT id, actor_platform, command, entity, entity_id, before_json,"
                    " after_json FROM audit_log ORDER BY id")]


def test_import_killed_midway_finishes_when_run_again():
    """SIGKILL after the first chunks committed, then the same import again:
    exactly the rows of an import that was never interrupted, none twice."""
    n = sized(8000, 3000)   # many chunks either way (a chunk is ~100 ms)
    d, ref = daemon(), daemon()
    with d, ref:
        path = os.path.join(d.dir, "big.csv")
        gen_import.write(n, path)
        count = "SELECT count(*) FROM appointments"
        before = one(d, count)
        proc = start_ctl(d, "import", "cqos", path)
        wait_opened(d, proc)
        watcher = sqlite3.connect(d.db)
        try:
            for _ in range(12000):   # a minute at most
                if proc.poll() is not None or watcher.execute(count).fetchone()[0] > before:
                    break
                time.sleep(0.005)
            proc.kill()
            proc.communicate()
            committed = watcher.execute(count).fetchone()[0] - before
        finally:
            watcher.close()
        print("    import killed with %d of %d rows committed" % (committed, n))
        assert 0 < committed < n, committed

        out = ok(d, "import", "cqos", path)
        print("    run again: %s" % chunk_line(out))
        for what in ("企业", "人员", "备案记录"):
            assert "%s：新增 %d，更新 0，无变化 %d" % (what, n - committed, committed) in out, out
        assert one(d, count) == before + n
        assert one(d, "SELECT count(DISTINCT credit_code) FROM enterprises") == \
            one(d, "SELECT count(*) FROM enterprises")
        assert one(d, "SELECT count(*) FROM audit_log") == 3 * n

        ref_path = os.path.join(ref.dir, "big.csv")
        shutil.copy(path, ref_path)
        ok(ref, "import", "cqos", ref_path)
        assert registry_content(d) == registry_content(ref)


def test_database_checks_follow_file_order():
    """What the database would refuse is checked before anything is
    written, as the rows would meet it: a CQO whose enterprise has 张三 in
    force goes in once an earlier row ends 张三's term, not before."""
    d = daemon()
    with d:
        start = one(d, "SELECT start_date FROM appointments WHERE id = 2")
        firm = "示例精密机械有限公司,91371302DEM0000013,371302,C34,320,中型,规上;链主"
        end_zs = "张三,男,,13800000001,,%s,%s,,任期结束,,\r\n" % (firm, start)
        new_zd = "赵大,男,,13900000009,,%s,2026-06-01,,在任,,\r\n" % firm
        before = registry_digest(d)
        wrong = write(d, "wrong.csv", CQO_HEADER + new_zd + end_zs)
        rc, out, err = ctl(d, "import", "cqos", wrong)
        assert rc == 1, (out, err)
        assert err.startswith("%s:2: 姓名“赵大”：该企业已有在任首席质量官（记录号 2：张三）" % wrong), err
        assert registry_digest(d) == before

        # --skip-bad: the refused row goes to the reject file with its reason.
        out = ok(d, "import", "cqos", wrong, "--skip-bad")
        assert "备案记录：新增 0，更新 1，无变化 0" in out, out
        data = read_bytes(os.path.join(d.dir, "wrong.rejects.csv")).decode("utf-8-sig")
        assert "赵大" in data and "姓名：该企业已有在任首席质量官（记录号 2：张三）" in data, data
        assert [l.split(",")[0] for l in data.splitlines()[1:]] == ["赵大"], data
        assert rows(d, "SELECT status FROM appointments WHERE id = 2") == [("ended",)]

        right = write(d, "right.csv", CQO_HEADER + end_zs + new_zd)
        out = ok(d, "import", "cqos", right)
        assert "备案记录：新增 1，更新 0，无变化 1" in out, out
        assert rows(d, "SELECT p.name FROM appointments a JOIN people p ON p.id = a.person_id"
                       " WHERE a.enterprise_id = 1 AND a.status = 'active'") == [("赵大",)]


@alone
def test_row_refused_while_writing_and_dry_run_on_a_copy():
    """A row the checks passed but the database refuses while writing (here a
    test trigger; in life the daemon changed the registry in between): the
    import stops there and keeps the chunks before, --skip-bad sets it aside
    and imports the rest, and once it goes in the import is complete. A dry
    run works on a copy: counts, no lock on the database, no copy left."""
    # Past one chunk's row limit; under the sanitizers a ~100 ms chunk is a
    # few hundred rows, so fewer rows still leave chunks before the refusal.
    n, refused = sized((6000, 5500), (2000, 1800))
    d = daemon()
    with d:
        path = os.path.join(d.dir, "big.csv")
        gen_import.write(n, path)
        tmp = os.path.join(d.dir, "tmp")
        os.mkdir(tmp)
        d.env["TMPDIR"] = tmp
        count = "SELECT count(*) FROM appointments"
        before = one(d, count)
        digest = registry_digest(d)
        proc = start_ctl(d, "import", "cqos", path, "--dry-run")
        done, timeouts, _, waits = write_alongside(d, proc, count, before, n)
        out, err = proc.communicate(timeout=300)
        print("    dry run of %d rows: other writer: %d writes, %d timed out, longest wait"
              " %.0f ms" % (n, done, timeouts, max(waits or [0])))
        assert proc.returncode == 0, err
        assert "企业：新增 %d，更新 0，无变化 0" % n in out and "试运行" in out, out
        assert timeouts == 0, (done, timeouts)
        assert os.listdir(tmp) == []
        db = sqlite3.connect(d.db)
        db.execute("DELETE FROM inbound WHERE platform = 'other'")
        db.commit()
        db.close()
        assert registry_digest(d) == digest

        db = sqlite3.connect(d.db)
        db.execute("CREATE TRIGGER refuse BEFORE INSERT ON appointments"
                   " WHEN NEW.doc_no LIKE '%%第%d号' BEGIN SELECT RAISE(ABORT, 'test'); END"
                   % refused)
        db.close()
        rc, out, err = ctl(d, "import", "cqos", path)
        got = one(d, count) - before
        print("    refused at row %d: %d rows kept: %s" % (refused, got, err.strip()[-120:]))
        assert rc == 1, (out, err)
        lines = err.strip().split("\n")
        assert len(lines) == 2 and lines[0].endswith(": 数据库拒绝了这一行的值"), err
        assert lines[1].startswith("cqoctl import: 导入已停止") and "批提交 %d 行" % got in lines[1], err
        assert 0 < got < refused, got

        out = ok(d, "import", "cqos", path, "--skip-bad")
        assert "企业：新增 %d，更新 0，无变化 %d" % (n - 1 - got, got) in out, out
        assert "批提交 %d 行" % (n - 1) in out and "1 行有错误，未导入" in out, out
        reject = read_bytes(os.path.join(d.dir, "big.rejects.csv")).decode("utf-8-sig")
        assert reject.count("数据库拒绝了这一行的值") == 1 and "第%d号" % refused in reject
        assert one(d, count) == before + n - 1

        db = sqlite3.connect(d.db)
        db.execute("DROP TRIGGER refuse")
        db.close()
        out = ok(d, "import", "cqos", path)
        assert "企业：新增 1，更新 0，无变化 %d" % (n - 1) in out, out
        assert one(d, count) == before + n
