"""备案, 更换, 续聘, 解聘 and the binding codes (绑定, 解绑, 绑定码) through the
signed generic webhook and the console: success, each validation error,
each role, private and group chats, the confirmation of 解聘, the atomicity
of 更换, and single use and expiry of binding codes.

Time is pinned (CQOD_FAKE_NOW) so the demo's dates are known: today is
2026-06-15. 张三 (person 1) holds record 2 at 示例精密机械有限公司 in 兰山区
371302, term 2023-07-05 .. 2026-07-04. 李四 holds record 3 in 罗庄区 371311.
孙八's record 1 (same enterprise as 张三) has ended. 演示纺织有限公司
(371302) has no CQO. Shandong's policy (37): 3 years, 大专, 36 months."""
import hashlib
import os
import re
import sqlite3
import subprocess
import time

from harness import Chat, Daemon, as_user_prefix, one as db_one, rows as db_rows

TODAY = "2026-06-15"
FAKE_NOW = TODAY + " 10:00:00"
DENIED = "您没有权限使用“%s”。"
NOT_FOUND = "未找到记录号 %s，或该记录不在您的管辖范围内。"
CODE_RX = re.compile(r"绑定码：([2-9A-HJ-NP-Z]{8})（有效期至 (\d{4}-\d\d-\d\d \d\d:\d\d)")
CONFIRM_RX = re.compile(r"确认 (\d{6})")
BIND_INVALID = "绑定码无效、已过期或已使用"

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(body17):
    """GB 32100: the 17 characters and their check character."""
    total = sum(CHARSET.index(c) * w for c, w in zip(body17, WEIGHTS))
    return body17 + CHARSET[(31 - total % 31) % 31]


NEW_CODE = credit_code("91371302TE0000001")


def staffed(extra_sql=None):
    """The demo on TODAY with one identity per role; `extra_sql` runs on the
    database before the daemon starts (fault injection)."""
    d = Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW})
    for g in ("generic u-admin admin", "generic clerk-ls clerk 371302",
              "generic clerk-ly clerk 3713", "generic clerk-xa clerk 610113",
              "generic cqo-zs cqo 1", "generic org organizer 1"):
        d.ctl("grant " + g)
    if extra_sql:
        db = sqlite3.connect(d.db)
        db.executescript(extra_sql)
        db.close()
        d._own()
    d.start()
    return d, Chat(d, "ap")


def snapshot(d):
    """What a refused command must leave untouched."""
    return db_rows(d, "SELECT (SELECT group_concat(id || status || coalesce(ended_on, '-')"
                      "  || start_date || term_end) FROM appointments),"
                      " (SELECT count(*) FROM people), (SELECT count(*) FROM enterprises),"
                      " (SELECT group_concat(name) FROM enterprises),"
                      " (SELECT count(*) FROM audit_log), (SELECT count(*) FROM bind_codes),"
                      " (SELECT count(*) FROM identities)")[0]


def form(command="备案", **fields):
    """A 备案 form; keyword None drops a default field."""
    values = {
        "姓名": "李雷", "性别": "男", "出生日期": "1985-04-01", "学历": "本科",
        "质量工作年限": "5", "职务": "质量总监", "职称": "工程师", "手机": "13900001111",
        "邮箱": "lilei@example.com", "企业名称": "测试机械有限公司",
        "统一社会信用代码": NEW_CODE, "所在地区": "371302", "行业代码": "C3411",
        "职工人数": "120", "企业性质": "有限责任公司", "企业规模": "中型",
        "聘任文件号": "测聘〔2026〕1号", "聘任日期": "2026-01-01",
    }
    for k, v in fields.items():
        if v is None:
            values.pop(k, None)
        else:
            values[k] = v
    # Full- and half-width colons are both accepted.
    lines = ["%s%s%s" % (k, "：" if i % 2 else ":", v) for i, (k, v) in enumerate(values.items())]
    return command + "\n" + "\n".join(lines)


def assert_usage(text, err, usage_start, *reasons):
    assert err, text
    assert "用法：" + usage_start in text, text
    for r in reasons:
        assert r in text, (r, text)


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


# ---- 备案 ----

def test_file_success_with_binding_code():
    d, say = staffed()
    with d:
        # Remarks may span lines.
        text, err = say(form(备注="第一行\n第二行"), "clerk-ls")
        assert not err, text
        m = re.search(r"备案成功 · 记录号 (\d+)", text)
        assert m, text
        rec = int(m.group(1))
        assert "首席质量官：李雷" in text and "企业：测试机械有限公司" in text, text
        assert "任期：2026-01-01 至 2028-12-31（36 个月）" in text, text
        assert "任职条件提示" not in text, text
        code, expires = CODE_RX.search(text).groups()
        assert expires.startswith("2026-06-29 "), expires
        # Personal data is not echoed.
        assert "13900001111" not in text and "lilei@" not in text and "1985" not in text
        row = db_rows(d, "SELECT a.status, a.doc_no, a.start_date, a.term_end, e.name,"
                         " e.credit_code, e.region_code, e.industry_code, e.size, e.employees,"
                         " p.name, p.phone, p.quality_years, a.filed_by, a.remarks"
                         " FROM appointments a JOIN enterprises e ON e.id = a.enterprise_id"
                         " JOIN people p ON p.id = a.person_id WHERE a.id = ?", rec)[0]
        assert row == ("active", "测聘〔2026〕1号", "2026-01-01", "2028-12-31", "测试机械有限公司",
                       NEW_CODE, "371302", "C3411", "中型", 120, "李雷", "13900001111", 5,
                       "generic:clerk-ls", "第一行\n第二行"), row
        # Only the hash is stored, expiring in 14 days.
        hashes = db_rows(d, "SELECT code_hash, expires_at - strftime('%s', '2026-06-15 02:00:00')"
                            " FROM bind_codes WHERE appointment_id = ?", rec)
        assert len(hashes) == 1 and hashes[0][0] == sha256(code), hashes
        assert 14 * 86400 <= hashes[0][1] <= 14 * 86400 + 120, hashes
        assert db_one(d, "SELECT count(*) FROM audit_log WHERE instr(coalesce(after_json, ''), ?)",
                      code) == 0
        audit = db_rows(d, "SELECT actor_user, chat_id, command, entity FROM audit_log"
                           " WHERE record_id = ? ORDER BY id", rec)
        assert audit == [("clerk-ls", "chat-1", "备案", e)
                         for e in ("enterprise", "person", "appointment", "bind_code")], audit

        # The CQO binds with it, once.
        text, err = say("绑定 " + code.lower(), "new-cqo")
        assert not err and "绑定成功" in text and "李雷" in text, text
        text, _ = say("我是谁", "new-cqo")
        assert "首席质量官" in text, text
        text, err = say("绑定 " + code, "someone-else")
        assert err and BIND_INVALID in text, text
        text, _ = say("我是谁", "someone-else")
        assert "访客" in text, text

        # Alias, admin, anywhere; a known-good real-world code as the enterprise.
        text, err = say(form("file", 统一社会信用代码="91350100M000100Y43", 所在地区="610113",
                             企业名称="测试电子有限公司"), "u-admin")
        assert not err and "备案成功" in text, text
        # A city clerk files in a county below.
        text, err = say(form(统一社会信用代码=credit_code("91371302TE0000002"),
                             企业名称="测试化工有限公司", 姓名="韩梅梅", 手机="13900002222"),
                        "clerk-ly")
        assert not err and "备案成功" in text, text


def test_file_in_group_hides_binding_code():
    d, say = staffed()
    with d:
        text, err = say(form(), "clerk-ls", chat_type="group")
        assert not err, text
        rec = int(re.search(r"记录号 (\d+)", text).group(1))
        assert "群聊中不显示" in text and "绑定码 %d" % rec in text, text
        assert "13900001111" not in text and "lilei@" not in text and "1985" not in text
        assert not CODE_RX.search(text), text
        assert db_one(d, "SELECT count(*) FROM bind_codes") == 0
        # 绑定码 is refused in a group before the record is even looked up ...
        text, err = say("绑定码 %d" % rec, "clerk-ls", chat_type="group")
        assert err and "私聊" in text and not CODE_RX.search(text), text
        text, err = say("绑定码 99999", "clerk-ls", chat_type="group")
        assert err and "私聊" in text, text
        # ... and works in private.
        text, err = say("绑定码 %d" % rec, "clerk-ls")
        assert not err and CODE_RX.search(text) and "李雷" in text, text


def test_file_validation_errors():
    d, say = staffed()
    with d:
        before = snapshot(d)
        bad_check = NEW_CODE[:17] + ("0" if NEW_CODE[17] != "0" else "1")
        cases = [
            (form(统一社会信用代码=bad_check), "统一社会信用代码校验位错误：应为 " + NEW_CODE[17]),
            (form(统一社会信用代码="91350100M000100Y44"), "统一社会信用代码校验位错误：应为 3"),
            (form(统一社会信用代码="9137130"), "统一社会信用代码应为 18 位，实际为 7 位"),
            (form(统一社会信用代码="91371302IO0000001"[:17] + "1"), "不使用 I、O、S、V、Z"),
            (form(手机="12345"), "手机：电话格式不正确"),
            (form(邮箱="lilei.example.com"), "邮箱：电子邮箱格式不正确"),
            (form(聘任日期="2026-02-30"), "聘任日期：日期不存在"),
            (form(聘任日期="明年元旦"), "聘任日期：日期格式不正确"),
            (form(出生日期="2030-01-01"), "出生日期不能晚于今天"),
            (form(企业规模="巨型"), "企业规模应为 大型、中型 或 小微"),
            (form(行业代码="制造业"), "行业代码格式不正确"),
            (form(性别="未知"), "性别应为 男 或 女"),
            (form(质量工作年限="很多"), "质量工作年限应为 0 到 80 之间的整数"),
            (form(职工人数="-5"), "职工人数应为 0 到 10000000 之间的整数"),
            (form(任期="20"), "任期（年）应为 1 到 10 之间的整数"),
            (form(所在地区="3713"), "所在地区应为 6 位县级行政区划代码"),
            (form(所在地区="37130X"), "地区代码应为 2、4 或 6 位数字"),
            (form(所在地区="379999"), "所在地区代码 379999 不存在"),
            (form(姓名="李" * 21), "姓名过长：最多 20 个字"),
            (form(企业名称="测试机械\n有限公司"), "企业名称应写在一行内"),
            (form(姓名=None), "缺少必填字段“姓名”"),
            (form(聘任文件号=None, 聘任日期=None), "缺少必填字段“聘任文件号”"),
            (form(统一社会信用代码=None), "缺少必填字段“统一社会信用代码”"),
            (form() + "\n爱好：钓鱼", "未知字段“爱好”"),
            (form() + "\n姓名：韩梅梅", "字段“姓名”重复填写"),
        ]
        for text, why in cases:
            out, err = say(text, "clerk-ls")
            assert_usage(out, err, "备案", why)
            assert "备案成功" not in out, out
        # Every problem at once.
        out, err = say(form(手机="1", 邮箱="x", 企业规模="巨型"), "clerk-ls")
        assert_usage(out, err, "备案", "电话格式不正确", "电子邮箱格式不正确", "企业规模应为")
        # No form: the list of fields.
        out, err = say("备案", "clerk-ls")
        assert_usage(out, err, "备案", "姓名：（必填）", "聘任日期：（必填）", "备注：")
        out, err = say("备案 张三", "clerk-ls")
        assert_usage(out, err, "备案")
        assert snapshot(d) == before
        d.drain_log()
        # Logged at info without the values.
        assert any("invalid field phone" in l for l in d.log), d.log[-20:]
        assert not [l for l in d.log if "1985-04-01" in l or "lilei" in l or "李雷" in l]


def test_file_never_takes_over_a_person_of_another_region():
    # 张三 (person 1, record 2 in 兰山区 371302) is not 雁塔区's to change: a
    # 雁塔区 clerk filing someone with the same name and phone gets a new person
    # and is told nothing about the other one.
    d, say = staffed()
    with d:
        before = db_rows(d, "SELECT email, birth_date, resume FROM people WHERE id = 1")
        text, err = say(form(姓名="张三", 手机="13800000001", 邮箱="evil@example.com",
                             出生日期="1990-01-01", 所在地区="610113",
                             统一社会信用代码=credit_code("91610113TE0000001")), "clerk-xa")
        assert not err and "备案成功" in text, text
        assert "已关联已有人员档案" not in text, text
        assert db_rows(d, "SELECT email, birth_date, resume FROM people WHERE id = 1") == before
        new_person = db_one(d, "SELECT person_id FROM appointments ORDER BY id DESC LIMIT 1")
        assert new_person != 1
        assert db_one(d, "SELECT count(*) FROM audit_log WHERE entity = 'person'"
                         " AND entity_id = 1") == 0
        # Within scope (临沂市 3713 holds all of 张三's records) the person is
        # linked, and the change is audited on each of their records.
        text, err = say(form(姓名="张三", 手机="13800000001", 邮箱="zs2@example.com",
                             所在地区="371311",
                             统一社会信用代码=credit_code("91371311TE0000002")), "clerk-ly")
        assert not err and "已关联已有人员档案" in text, text
        rec = db_one(d, "SELECT id FROM appointments WHERE person_id = 1 ORDER BY id DESC"
                        " LIMIT 1")
        assert db_one(d, "SELECT email FROM people WHERE id = 1") == "zs2@example.com"
        assert sorted(r for (r,) in db_rows(d, "SELECT record_id FROM audit_log"
                                               " WHERE entity = 'person' AND entity_id = 1")) \
            == sorted([2, rec])


def test_file_roles_and_scope():
    d, say = staffed()
    with d:
        before = snapshot(d)
        # A clerk of 610113 cannot file in 371302.
        text, err = say(form(), "clerk-xa")
        assert err and "所在地区 371302（兰山区）不在您的管辖范围（610113）内" in text, text
        # Nor move an enterprise registered outside their scope into it.
        food = db_one(d, "SELECT credit_code FROM enterprises WHERE region_code = '371311'")
        text, err = say(form(统一社会信用代码=food), "clerk-ls")
        assert err and "对应的企业登记在您的管辖范围之外" in text, text
        for who in ("cqo-zs", "org", "guest-1"):
            text, err = say(form(), who)
            assert err and DENIED % "备案" in text, (who, text)
        text, _ = say(form(), "guest-1")
        assert "绑定 <绑定码>" in text, text
        assert snapshot(d) == before


def test_file_refuses_second_active_and_warns():
    d, say = staffed()
    with d:
        precision = db_one(d, "SELECT credit_code FROM enterprises WHERE id = 1")
        before = snapshot(d)
        text, err = say(form(统一社会信用代码=precision, 企业名称="改名公司"), "clerk-ls")
        assert err and "已有在任首席质量官（记录号 2：张三）" in text and "更换 2" in text, text
        assert snapshot(d) == before
        # Unmet criteria are warnings, recorded, not a refusal.
        text, err = say(form(学历="中专", 质量工作年限="1"), "clerk-ls")
        assert not err and "备案成功" in text, text
        want = "质量工作年限 1 年，少于要求的 3 年；学历“中专”未达到大专及以上"
        assert "任职条件提示（已记录，不影响备案）：" + want in text, text
        rec = int(re.search(r"记录号 (\d+)", text).group(1))
        assert db_one(d, "SELECT eligibility_warnings FROM appointments WHERE id = ?", rec) == want
        # The same person (name and phone) filed again elsewhere is reused.
        textile = db_one(d, "SELECT credit_code FROM enterprises WHERE name = '演示纺织有限公司'")
        text, err = say(form(统一社会信用代码=textile, 企业名称="演示纺织有限公司",
                             职称="高级工程师"), "clerk-ls")
        assert not err and "已关联已有人员档案" in text, text
        assert db_one(d, "SELECT count(*) FROM people WHERE name = '李雷'") == 1
        assert db_one(d, "SELECT title FROM people WHERE name = '李雷'") == "高级工程师"


# ---- 更换 ----

def successor(**fields):
    base = {k: None for k in ("统一社会信用代码", "所在地区", "企业名称", "行业代码", "职工人数",
                              "企业性质", "企业规模")}
    base.update({"姓名": "韩梅梅", "手机": "13900003333", "聘任文件号": "示例企聘字〔示例〕第3号",
                 "聘任日期": "2026-06-01"})
    base.update(fields)
    return form("更换 2", **base)


def test_replace_success():
    d, say = staffed()
    with d:
        text, err = say(successor(), "clerk-ls")
        assert not err, text
        rec = int(re.search(r"更换成功 · 新记录号 (\d+)", text).group(1))
        assert "原记录号 2（张三）已结束，结束日期 2026-05-31，原因：更换" in text, text
        assert "企业：示例精密机械有限公司" in text and CODE_RX.search(text), text
        assert db_rows(d, "SELECT status, ended_on, end_reason FROM appointments WHERE id = 2") \
            == [("ended", "2026-05-31", "更换")]
        assert db_rows(d, "SELECT status, predecessor_id, enterprise_id FROM appointments"
                          " WHERE id = ?", rec) == [("active", 2, 1)]
        assert db_one(d, "SELECT count(*) FROM audit_log WHERE record_id = 2"
                         " AND command = '更换' AND entity = 'appointment'") == 1
        text, _ = say("查询 2", "clerk-ls")
        assert "任期结束" in text, text
        # The replaced record is no longer in force.
        text, err = say(successor(), "clerk-ls")
        assert err and "记录号 2 当前状态为“任期结束”，不能办理更换" in text, text
        # Alias, with the credit code given (matching) and a new enterprise name.
        precision = db_one(d, "SELECT credit_code FROM enterprises WHERE id = 1")
        text, err = say(form("replace %d" % rec, 姓名="王磊", 手机="13900004444",
                             统一社会信用代码=precision, 所在地区=None, 企业名称="示例精密机械集团",
                             聘任日期="2026-06-10"), "u-admin")
        assert not err and "更换成功" in text and "示例精密机械集团" in text, text


def test_replace_errors_and_roles():
    d, say = staffed()
    with d:
        before = snapshot(d)
        cases = [
            (successor(统一社会信用代码=NEW_CODE),
             "统一社会信用代码与记录号 2 的企业（示例精密机械有限公司）不一致"),
            (successor(聘任日期="2023-07-05"), "聘任日期应晚于原任期起始日期 2023-07-05"),
            (successor(聘任日期="2026-13-01"), "聘任日期：日期不存在"),
            (successor(姓名=None), "缺少必填字段“姓名”"),
            (successor(所在地区="610113"), None),
        ]
        for text, why in cases[:-1]:
            out, err = say(text, "clerk-ls")
            assert_usage(out, err, "更换", why)
        out, err = say(cases[-1][0], "clerk-ls")
        assert err and "不在您的管辖范围" in out, out
        out, err = say(successor().replace("更换 2", "更换 abc"), "clerk-ls")
        assert_usage(out, err, "更换", "记录号应为正整数")
        # Out of scope reads exactly like a missing record.
        out_scope, err = say(successor().replace("更换 2", "更换 3"), "clerk-xa")
        missing, err2 = say(successor().replace("更换 2", "更换 99999"), "clerk-xa")
        assert err and err2 and out_scope == NOT_FOUND % "3", out_scope
        assert missing == NOT_FOUND % "99999", missing
        out, err = say(successor().replace("更换 2", "更换 1"), "clerk-ls")
        assert err and "不能办理更换" in out, out
        for who in ("cqo-zs", "org", "guest-1"):
            out, err = say(successor(), who)
            assert err and DENIED % "更换" in out, (who, out)
        assert snapshot(d) == before


def test_replace_failure_midway_changes_nothing():
    # The insert of the new appointment fails after the old one was ended
    # (a trigger raises on this document number): both stay as they were.
    d, say = staffed("CREATE TRIGGER fail_filing BEFORE INSERT ON appointments"
                     " WHEN NEW.doc_no = 'FAIL' BEGIN SELECT RAISE(ABORT, 'injected'); END;")
    with d:
        before = snapshot(d)
        text, err = say(successor(聘任文件号="FAIL"), "clerk-ls")
        # A permanent failure is answered with an apology (not "try again").
        assert err and "系统出现内部错误" in text and "更换成功" not in text, text
        assert snapshot(d) == before
        assert db_rows(d, "SELECT status, ended_on FROM appointments WHERE id = 2") \
            == [("active", None)]
        assert db_one(d, "SELECT count(*) FROM people WHERE name = '韩梅梅'") == 0
        # The same 更换 without the fault goes through.
        text, err = say(successor(), "clerk-ls")
        assert not err and "更换成功" in text, text


# ---- 续聘 ----

def test_renew():
    d, say = staffed()
    with d:
        text, err = say("续聘 2", "clerk-ls")
        assert not err, text
        assert "续聘成功 · 记录号 2" in text and "张三" in text, text
        assert "原任期：2023-07-05 至 2026-07-04" in text, text
        assert "新任期：2026-07-05 至 2029-07-04（36 个月）" in text, text
        assert db_rows(d, "SELECT start_date, term_end, status FROM appointments WHERE id = 2") \
            == [("2026-07-05", "2029-07-04", "active")]
        audit = db_rows(d, "SELECT command, before_json, after_json FROM audit_log"
                           " WHERE record_id = 2 AND command = '续聘'")
        assert len(audit) == 1 and "2026-07-04" in audit[0][1] and "2029-07-04" in audit[0][2]
        # An explicit start, another date form, the alias, a city clerk.
        text, err = say("renew 2 2029年7月5日", "clerk-ly")
        assert not err and "新任期：2029-07-05 至 2032-07-04" in text, text
        text, err = say("续聘 3 2026-06-20", "u-admin")
        assert not err and "李四" in text, text

        before = snapshot(d)
        for cmd, why in (("续聘 2 2026-02-30", "起始日期：日期不存在"),
                         ("续聘 2 明天", "起始日期：日期格式不正确"),
                         ("续聘 2 2029-07-05", "续聘起始日期应晚于当前任期起始日期 2029-07-05"),
                         ("续聘 x", "记录号应为正整数"),
                         ("续聘", None), ("续聘 2 2030-01-01 多余", None)):
            out, err = say(cmd, "clerk-ls")
            assert_usage(out, err, "续聘", *([why] if why else []))
        out, err = say("续聘 1", "clerk-ls")
        assert err and "记录号 1 当前状态为“任期结束”，不能办理续聘" in out, out
        out, err = say("续聘 3", "clerk-ls")
        assert err and out == NOT_FOUND % "3", out
        out, err = say("续聘 99999", "clerk-ls")
        assert err and out == NOT_FOUND % "99999", out
        for who in ("cqo-zs", "org", "guest-1"):
            out, err = say("续聘 2", who)
            assert err and DENIED % "续聘" in out, (who, out)
        assert snapshot(d) == before


def test_renew_through_console():
    with Daemon(env={"CQOD_FAKE_NOW": FAKE_NOW}) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        r = subprocess.run(cmd, input="续聘 2\n绑定码 2\n", capture_output=True, text=True,
                           timeout=60, env=d.env)
        assert r.returncode == 0, r.stderr
        assert "续聘成功 · 记录号 2" in r.stdout and "2029-07-04" in r.stdout, r.stdout
        assert CODE_RX.search(r.stdout), r.stdout
        assert db_one(d, "SELECT term_end FROM appointments WHERE id = 2") == "2029-07-04"
        assert db_rows(d, "SELECT actor_platform, command FROM audit_log WHERE record_id = 2"
                          " AND command = '续聘'") == [("console", "续聘")]


# ---- 解聘 ----

def test_dismiss_with_confirmation():
    d, say = staffed()
    with d:
        before = snapshot(d)
        text, err = say("解聘 2 个人原因 离职", "clerk-ls", chat_type="group")
        assert not err, text
        assert "记录号 2：张三 将被解聘，任期于 2026-06-15 终止，原因：个人原因 离职。" in text, text
        assert "企业：示例精密机械有限公司" in text, text
        code = CONFIRM_RX.search(text).group(1)
        assert snapshot(d) == before
        # Another person cannot confirm it.
        text, err = say("确认 " + code, "u-admin")
        assert err and "没有待确认的操作" in text, text
        assert snapshot(d) == before
        text, err = say("确认 " + code, "clerk-ls", chat_type="group")
        assert not err and "记录号 2：张三 已解聘，任期于 2026-06-15 终止，原因：个人原因 离职。" \
            in text, text
        assert db_rows(d, "SELECT status, ended_on, end_reason FROM appointments WHERE id = 2") \
            == [("dismissed", "2026-06-15", "个人原因 离职")]
        # Only once; and the CQO's identity stays.
        text, err = say("确认 " + code, "clerk-ls")
        assert err, text
        assert db_rows(d, "SELECT role, person_id FROM identities WHERE user_id = 'cqo-zs'") \
            == [("cqo", 1)]
        assert db_one(d, "SELECT count(*) FROM audit_log WHERE record_id = 2"
                         " AND command = '解聘'") == 1
        text, err = say("解聘 2 再次", "clerk-ls")
        assert err and "当前状态为“已解聘”，不能办理解聘" in text, text

        # A date, the alias, an admin; then 取消 drops it.
        text, err = say("dismiss 3 企业重组 2026-06-01", "u-admin")
        assert "任期于 2026-06-01 终止，原因：企业重组" in text, text
        text, err = say("取消", "u-admin")
        assert not err and "已取消" in text, text
        assert db_one(d, "SELECT status FROM appointments WHERE id = 3") == "active"


def test_dismiss_errors_and_roles():
    d, say = staffed()
    with d:
        before = snapshot(d)
        for cmd, why in (("解聘 2 个人原因 2026-06-16", "解聘日期不能晚于今天"),
                         ("解聘 2 个人原因 2026-02-30", "解聘日期：日期不存在"),
                         ("解聘 2 个人原因 2020-01-01", "解聘日期不能早于任期起始日期 2023-07-05"),
                         ("解聘 2 " + "长" * 201, "原因过长：最多 200 个字"),
                         ("解聘 二 个人原因", "记录号应为正整数"),
                         ("解聘 2", None)):
            out, err = say(cmd, "clerk-ls")
            assert_usage(out, err, "解聘", *([why] if why else []))
            assert "确认" not in out.replace("需二次确认", ""), out
        out, err = say("解聘 3 个人原因", "clerk-ls")
        assert err and out == NOT_FOUND % "3", out
        out, err = say("解聘 99999 个人原因", "clerk-ls")
        assert err and out == NOT_FOUND % "99999", out
        out, err = say("解聘 1 个人原因", "clerk-ls")
        assert err and "不能办理解聘" in out, out
        for who in ("cqo-zs", "org", "guest-1"):
            out, err = say("解聘 2 个人原因", who)
            assert err and DENIED % "解聘" in out, (who, out)
        assert snapshot(d) == before


# ---- 绑定, 解绑, 绑定码 ----

def issue_code(say, rec=2, who="clerk-ls"):
    text, err = say("绑定码 %d" % rec, who)
    assert not err, text
    return CODE_RX.search(text).group(1)


def test_bind_unbind_and_reissue():
    d, say = staffed()
    with d:
        old = issue_code(say)
        text, _ = say("bindcode 2", "u-admin")
        assert "记录号 2 · 张三 的绑定码" in text and "此前签发且未使用的绑定码已作废" in text, text
        new = CODE_RX.search(text).group(1)
        # The older code no longer works; a malformed one gets the same answer.
        for typed in (old, "ABC", "绑定码"):
            text, err = say("绑定 " + typed, "phone-zs")
            assert err and text == BIND_INVALID + "，请向办事员索取新的绑定码。", text
        # Not in a group (the code stays usable).
        text, err = say("绑定 " + new, "phone-zs", chat_type="group")
        assert err and "私聊" in text, text
        # Staff cannot bind.
        for who, role in (("clerk-ls", "办事员"), ("u-admin", "管理员"), ("org", "组织者")):
            text, err = say("绑定 " + new, who)
            assert err and "您已有%s身份" % role in text, (who, text)
        # Spaces inside the code are fine.
        text, err = say("bind %s %s" % (new[:4], new[4:]), "phone-zs")
        assert not err and "绑定成功：您已绑定为首席质量官（张三）" in text, text
        assert db_rows(d, "SELECT role, person_id, display_name FROM identities"
                          " WHERE user_id = 'phone-zs'") == [("cqo", 1, "测试用户")]
        audit = db_rows(d, "SELECT entity, command, before_json IS NULL FROM audit_log"
                           " WHERE record_id = 2 AND entity IN ('identity', 'bind_code')"
                           " AND actor_platform <> 'cqoctl' ORDER BY id")
        # The command's own name, whichever alias was typed.
        assert audit == [("bind_code", "绑定码", 1), ("bind_code", "绑定码", 1),
                         ("identity", "绑定", 1)], audit
        text, _ = say("查询 2", "phone-zs")
        assert "张三" in text, text

        text, err = say("解绑", "phone-zs")
        assert not err and "已解除绑定" in text, text
        text, _ = say("我是谁", "phone-zs")
        assert "访客" in text, text
        text, err = say("unbind", "phone-zs")
        assert err and DENIED % "解绑" in text, text
        for who in ("clerk-ls", "org"):
            text, err = say("解绑", who)
            assert err and DENIED % "解绑" in text, (who, text)

        # 绑定码 roles and scope.
        out, err = say("绑定码 3", "clerk-ls")
        assert err and out == NOT_FOUND % "3", out
        out, err = say("绑定码 1", "clerk-ls")
        assert err and "不能办理绑定码" in out, out
        out, err = say("绑定码 x", "clerk-ls")
        assert_usage(out, err, "绑定码", "记录号应为正整数")
        for who in ("cqo-zs", "org", "guest-1"):
            out, err = say("绑定码 2", who)
            assert err and DENIED % "绑定码" in out, (who, out)
        out, err = say("绑定", "guest-1")
        assert_usage(out, err, "绑定")


def test_bind_code_expires():
    d, say = staffed()
    with d:
        code = issue_code(say)
        stale = issue_code(say, rec=3, who="u-admin")
        assert d.stop() == 0
        # 14 days later the code is still good; a day after that it is not.
        d.env["CQOD_FAKE_NOW"] = "2026-06-29 09:59:00"
        d.start()
        text, err = say("绑定 " + code, "late-zs")
        assert not err and "张三" in text, text
        assert d.stop() == 0
        d.env["CQOD_FAKE_NOW"] = "2026-06-29 10:05:00"
        d.start()
        text, err = say("绑定 " + stale, "late-ls")
        assert err and BIND_INVALID in text, text
        assert db_one(d, "SELECT count(*) FROM identities WHERE user_id = 'late-ls'") == 0
