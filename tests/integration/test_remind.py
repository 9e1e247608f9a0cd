"""Reminders through the real daemon: the daily sweep at send_at on working
days (a weekend, the Dragon Boat holiday, a make-up Sunday), once only
across restarts and a week of downtime, late catch-up marked as such,
delivery through the outbox to the fake WeCom (through the instance an
identity was bound on), the clerks' digests and their scope, sanction
notices on issuance, 收到 / 未确认 / 提醒 for every role, the console, SIGHUP
reloading the calendar, and cqoctl remind --dry-run.

The demo is seeded on 2026-06-15 (a Monday): 张三 (person 1) holds record 2
in 兰山区 371302, term ending Saturday 2026-07-04, so its 7-day milestone is
Saturday 06-27 (sent Friday 06-26). 李四 (record 3, 罗庄区 371311) has an
open, unacknowledged 警示 issued 06-05. 06-19..06-21 are the Dragon Boat
holiday; Sunday 2026-09-20 is a make-up working day."""
import json
import os
import re
import signal
import subprocess
import time

from harness import Chat, Daemon, as_user_prefix, one, rows, wait_until
from platforms import (FakePlatform, WECOM2_AES, WECOM2_CORP, WECOM2_TOKEN, platform_config,
                       wecom_encrypt, wecom_envelope, wecom_inner, wecom_query)

SEED = "2026-06-15 10:00:00"
DENIED = "您没有权限使用“%s”。"
SEND = "/cgi-bin/message/send"


def texts(d, target):
    """The markdown or text of every outbox row pushed to user `target` (answers
    to their own messages, keyed reply:..., are left out); a template card's
    title and text, with its buttons' commands."""
    out = []
    for (payload,) in rows(d, "SELECT payload FROM outbox WHERE destination LIKE ?"
                                 " AND idem_key NOT LIKE 'reply:%' ORDER BY id",
                              "%|user|0|" + target):
        body = json.loads(payload)
        card = body.get("template_card")
        if card:
            out.append("\n".join([card["main_title"]["title"], card.get("sub_title_text", "")]
                                 + ["[%s]" % b["key"] for b in card["button_list"]]))
            continue
        out.append(body.get("markdown", body.get("text", {})).get("content", ""))
    return out


def reminders_daemon(fake, extra=""):
    """The demo seeded on SEED with one identity per role: 张三 on WeCom
    (w1, where reminders go) and on the generic webhook (to type commands),
    clerks of 兰山区, 临沂市 and 雁塔区, an admin, an organizer."""
    d = Daemon(platform_config(fake.base) + "\n[reminders]\nsend_at = 09:00\n" + extra,
               env={"CQOD_FAKE_NOW": SEED})
    for g in ("wecom:w1 zhangsan cqo 2", "generic cqo-zs cqo 2",
              "wecom:w1 clerk-ls clerk 371302",
              "generic clerk-ls clerk 371302", "wecom:w1 clerk-ly clerk 3713",
              "generic clerk-ly clerk 3713", "wecom:w1 clerk-xa clerk 610113",
              "generic clerk-xa clerk 610113", "generic u-admin admin",
              "generic org organizer 1"):
        d.ctl("grant " + g)
    return d


def swept(d):
    return rows(d, "SELECT last_date FROM reminder_sweeps")


def wait_swept(d, day, timeout=20):
    """Polls the database (log lines read together may be skipped by
    Daemon.wait_log) until `day` is recorded as swept."""
    wait_until(lambda: swept(d) == [(day,)], "a sweep of %s" % day, timeout)


def at(d, now, wait_sweep=True, restart=False):
    """Sets the daemon's fake clock to `now` (China Standard Time) and waits
    until its scheduler has looked at it: moves the clock of the running
    daemon, or starts the daemon there (restart: stops it first)."""
    if restart and d.proc and d.proc.poll() is None:
        assert d.stop() == 0
    if d.proc and d.proc.poll() is None:
        d.set_clock(now)
    else:
        d.use_clock_file(now)
        d.start()
        d.wait_log(r"reminders: no sweep due")
    if wait_sweep:
        wait_swept(d, now[:10])
    return d


def test_term_reminder_weekend_and_once():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        # Thursday: nothing due yet for 张三.
        at(d, "2026-06-25 09:30:00")
        assert texts(d, "zhangsan") == []
        # Friday: Saturday's milestone (7 days before the end).
        at(d, "2026-06-26 09:30:00")
        msgs = texts(d, "zhangsan")
        assert len(msgs) == 1, msgs
        assert "任期提醒" in msgs[0] and "2026-07-04" in msgs[0] and "还有 8 天" in msgs[0]
        assert "补发" not in msgs[0]
        assert rows(d, "SELECT destination FROM outbox WHERE destination LIKE '%zhangsan'") \
            == [("wecom|w1|user|0|zhangsan",)]
        # The outbox delivers it to WeCom.
        sent = [r for r in fake.wait_requests(SEND, 1, 20)
                if json.loads(r["body"]).get("touser") == "zhangsan"]
        assert sent and "还有 8 天" in sent[0]["body"], sent
        # The clerk of 兰山区 has it in the digest; 雁塔区's clerk not.
        digest = texts(d, "clerk-ls")
        assert len(digest) == 1 and "任期将届满：张三" in digest[0], digest
        assert texts(d, "clerk-xa") == []
        # 临沂市's clerk also sees 李四's unacknowledged 警示 (a week on: 06-27).
        city = texts(d, "clerk-ly")
        assert len(city) == 1 and "张三" in city[0] and "处理未确认：李四" in city[0], city
        ledger = one(d, "SELECT count(*) FROM reminder_ledger")
        metrics = d.request("GET", "/metrics")[1].decode()
        # One sweep a day on the same running daemon: Thursday's and Friday's.
        assert "cqod_reminder_sweeps_total 2\n" in metrics, metrics
        assert 'cqod_reminders_total{kind="person"} ' in metrics
        # A restart the same day sends nothing again.
        at(d, "2026-06-26 11:00:00", wait_sweep=False, restart=True)
        d.wait_log(r"listening on")
        assert len(texts(d, "zhangsan")) == 1
        assert one(d, "SELECT count(*) FROM reminder_ledger") == ledger
        assert one(d, "SELECT swept_at FROM reminder_sweeps") < d.now() - 3600
        # Monday: nothing for 张三 (Saturday's and Sunday's were Friday's).
        at(d, "2026-06-29 09:30:00")
        assert len(texts(d, "zhangsan")) == 1


def test_holiday_downtime_and_makeup_day():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        at(d, "2026-06-18 09:30:00")
        assert swept(d) == [("2026-06-18",)]
        # The Dragon Boat holiday (Friday) and before send_at: no sweep.
        at(d, "2026-06-19 10:00:00", wait_sweep=False)
        at(d, "2026-06-22 08:59:00", wait_sweep=False)
        assert swept(d) == [("2026-06-18",)]
        # Down until the next Monday: one sweep catches up, marked late.
        at(d, "2026-06-29 09:30:00", restart=True)
        msgs = texts(d, "zhangsan")
        assert len(msgs) == 1, msgs
        assert "（补发：应于 2026-06-26 提醒）" in msgs[0], msgs[0]
        at(d, "2026-06-30 09:30:00")
        assert len(texts(d, "zhangsan")) == 1
        # A Saturday is no working day; the make-up Sunday is.
        at(d, "2026-09-19 09:30:00", wait_sweep=False)
        assert swept(d) == [("2026-06-30",)]
        at(d, "2026-09-20 09:30:00")
        assert swept(d) == [("2026-09-20",)]


def test_send_at_and_sighup_calendar():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        data = d.data_dir     # the harness's own copy: the test appends to it
        d.ctl("grant wecom:w1 boss admin")
        # Before send_at the daemon waits; then sweeps (with a fake clock that
        # runs, so the test waits 2 s for 09:00).
        at(d, "2026-12-01 08:59:58", wait_sweep=False)
        assert swept(d) == []
        wait_swept(d, "2026-12-01")
        assert one(d, "SELECT count(*) FROM calendar") > 200
        # A month before the calendar runs out, the admins are told, once.
        warn = texts(d, "boss")
        assert len(warn) == 1 and "工作日日历只到 2026-12-31" in warn[0], warn
        # Next year's file dropped in and SIGHUP: loaded.
        with open(os.path.join(data, "cn-workcalendar.csv"), "a") as f:
            f.write("2027-01-01,holiday,元旦\n2027-02-07,workday,春节\n")
        d._own()
        d.signal(signal.SIGHUP)
        d.wait_log(r"calendar: covers working days until 2027-12-31")
        assert one(d, "SELECT kind FROM calendar WHERE date = '2027-02-07'") == "workday"
        # A broken file is refused whole; the table stays.
        with open(os.path.join(data, "cn-workcalendar.csv"), "a") as f:
            f.write("2027-13-01,holiday,x\n")
        d.signal(signal.SIGHUP)
        d.wait_log(r"cn-workcalendar.csv:\d+: not a date,kind\[,name\] line; file not loaded")
        assert one(d, "SELECT count(*) FROM calendar WHERE date LIKE '2027%'") == 2
        at(d, "2026-12-02 09:30:00")
        assert len(texts(d, "boss")) == 1


def test_sanction_notice_and_commands():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        at(d, "2026-06-26 09:30:00")
        say = Chat(d, "rm")
        # A sanction reaches its CQO at once, in its own transaction.
        text, err = say("警示 2 违法违规 测试警示", "clerk-ls")
        assert not err, text
        sid = int(re.search(r"处理号 (\d+)", text).group(1))
        notice = [t for t in texts(d, "zhangsan") if "处理通知 · " in t]
        assert len(notice) == 1 and "【警示】处理号 %d" % sid in notice[0], notice
        assert "违法违规，测试警示" in notice[0]
        assert one(d, "SELECT count(*) FROM reminder_ledger WHERE rule = 'sanction'"
                         " AND record_id = ?", sid) == 1
        fake.wait_requests(SEND, 2, 20)

        # 未确认: each clerk their scope; admins everything; groups alike.
        out, err = say("未确认", "clerk-ls")
        assert not err and "尚未确认的处理和提醒（2 项）" in out, out
        assert "张三" in out and "警示（处理号 %d）" % sid in out and "任期提醒" in out, out
        assert "李四" not in out
        out, err = say("unacked", "clerk-ly", chat_type="group")
        assert not err and "（3 项）" in out and "李四" in out, out
        out, err = say("未确认", "clerk-xa")
        assert not err and out == "辖区内没有尚未确认的处理通知或提醒。", out
        out, err = say("未确认", "u-admin")
        assert not err and "（3 项）" in out, out
        out, err = say("未确认 多余", "clerk-ls")
        assert err and "用法：未确认" in out, out
        for who in ("cqo-zs", "org", "guest-1"):
            out, err = say("未确认", who)
            assert err and DENIED % "未确认" in out, (who, out)

        # 收到: the CQO's reminders and sanction; then nothing is pending.
        out, err = say("收到", "cqo-zs")
        assert not err and out == "已确认收到 1 条提醒、1 项处理通知。", out
        out, err = say("ack", "cqo-zs")
        assert not err and out == "没有待确认的提醒。", out
        out, _ = say("未确认", "clerk-ls")
        assert out == "辖区内没有尚未确认的处理通知或提醒。", out
        assert one(d, "SELECT acknowledged_at IS NOT NULL FROM sanctions WHERE id = ?",
                      sid) == 1
        # A clerk acknowledges the digest lines of their scope.
        out, err = say("收到", "clerk-ly")
        assert not err and out == "已确认收到 2 条提醒。", out
        out, err = say("收到", "clerk-xa")
        assert not err and out == "没有待确认的提醒。", out
        for who in ("u-admin", "org", "guest-1"):
            out, err = say("收到", who)
            assert err and DENIED % "收到" in out, (who, out)
        audit = rows(d, "SELECT command, entity FROM audit_log WHERE entity = 'reminder_ack'")
        assert len(audit) == 2, audit


def test_mute_command():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        at(d, "2026-06-25 09:30:00")
        say = Chat(d, "rm")
        out, err = say("提醒", "cqo-zs")
        assert not err and "您的提醒设置" in out and "任期：开启" in out, out
        assert "处理通知：始终发送（不能关闭）" in out, out
        out, err = say("提醒 关闭 任期", "cqo-zs")
        assert not err and out == "已关闭任期提醒。发送“提醒 开启 任期”可恢复。", out
        out, err = say("remind off term", "cqo-zs")
        assert not err and out == "任期提醒本来就已关闭。", out
        out, err = say("提醒 关闭 处理", "cqo-zs")
        assert err and "不能关闭" in out, out
        for bad, why in (("提醒 关闭 天气", "提醒类别应为"), ("提醒 暂停 任期", "第一个参数应为"),
                         ("提醒 关闭", None), ("提醒 关闭 任期 多余", None)):
            out, err = say(bad, "cqo-zs")
            assert err and "用法：提醒" in out and (why is None or why in out), (bad, out)
        for who in ("clerk-ls", "u-admin", "org", "guest-1"):
            out, err = say("提醒 关闭 任期", who)
            assert err and DENIED % "提醒" in out, (who, out)
        assert rows(d, "SELECT person_id, category FROM reminder_mutes") == [(1, "term")]
        # Muted: Friday's term reminder is not sent to 张三, still in the digest.
        at(d, "2026-06-26 09:30:00")
        assert texts(d, "zhangsan") == []
        assert "任期将届满：张三" in texts(d, "clerk-ls")[0]
        out, err = say("提醒 开启 任期", "cqo-zs")
        assert not err and out == "已开启任期提醒。", out
        out, _ = say("提醒", "cqo-zs")
        assert "任期：开启" in out, out


def test_unbound_person_goes_to_digest_and_bind_records_instance():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        d.ctl("revoke wecom:w1 zhangsan")
        d.ctl("revoke generic cqo-zs")
        at(d, "2026-06-26 09:30:00")
        assert texts(d, "zhangsan") == []
        digest = texts(d, "clerk-ls")[0]
        assert "任期将届满：张三" in digest and "（未绑定，无法提醒）" in digest, digest
        # Bound through the second WeCom app: reminders go back through it.
        say = Chat(d, "rm")
        code = re.search(r"绑定码：(\w{8})", say("绑定码 2", "clerk-ls")[0]).group(1)
        inner = wecom_inner("绑定 " + code, sender="zs-w2", msg_id="7100000000000000001")
        enc = wecom_encrypt(WECOM2_AES, inner.replace("ww-test-corp-1", WECOM2_CORP), WECOM2_CORP)
        query = wecom_query(enc, token=WECOM2_TOKEN, ts=str(d.now()))
        status, body, _ = d.request("POST", "/webhook/wecom/w2?" + query, wecom_envelope(enc),
                                    {"Content-Type": "text/xml"})
        assert status == 200, (status, body)
        assert rows(d, "SELECT role, instance FROM identities WHERE user_id = 'zs-w2'") \
            == [("cqo", "w2")]
        at(d, "2026-07-03 09:30:00")
        # Answers are outbox rows too (keyed reply:...): the reminder is the other one.
        assert rows(d, "SELECT destination FROM outbox WHERE destination LIKE '%zs-w2'"
                          " AND idem_key NOT LIKE 'reply:%'") \
            == [("wecom|w2|user|0|zs-w2",)]
        assert "还有 1 天" in texts(d, "zs-w2")[0]


def test_console_shows_pushed_reminders():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        cmd = as_user_prefix() + [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
        env = dict(d.env, CQOD_FAKE_NOW="2026-06-26 09:30:00")
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
        seen = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "还有 8 天" in line:
                break
        out, err = p.communicate("未确认\n", timeout=30)
        text = "".join(seen) + out
        assert p.returncode == 0, err
        assert "【推送 → " in text and "还有 8 天" in text, text
        assert "尚未确认的处理和提醒" in text and "张三" in text, text
        assert fake.requests(SEND) == []


def test_cqoctl_dry_run():
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        d.ctl("calendar load " + os.path.join(os.path.dirname(__file__), "..", "..", "data",
                                              "cn-workcalendar.csv"))
        out = d.ctl("remind --dry-run --date 2026-06-26")
        assert "2026-06-26 的提醒（试运行：不发送，不记录），里程碑日期 2026-06-26 至 2026-06-28" \
            in out, out
        assert "→ wecom|w1|user|0|zhangsan" in out and "还有 8 天" in out, out
        assert "→ wecom|w1|user|0|clerk-ls" in out and "任期将届满：张三" in out, out
        assert "共 3 条消息" in out, out
        assert one(d, "SELECT count(*) FROM outbox") == 0
        assert one(d, "SELECT count(*) FROM reminder_ledger") == 0
        assert swept(d) == []
        out = d.ctl("remind --dry-run --date 2026-06-20")
        assert "2026-06-20 不是工作日，不发送提醒；下一个工作日是 2026-06-22。" in out, out
        # Once sent, a milestone is not listed again.
        at(d, "2026-06-26 09:30:00")
        out = d.ctl("remind --dry-run --date 2026-06-26")
        assert "共 0 条消息" in out, out
        for args, why in ((["remind"], "目前只支持试运行"),
                          (["remind", "--dry-run", "--date", "2026-02-30"], "日期应为"),
                          (["remind", "--dry-run", "x"], "参数个数不对"),
                          (["remind", "--bogus"], "无法识别的选项")):
            r = subprocess.run(as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config]
                               + args, capture_output=True, text=True, env=d.env)
            assert r.returncode == 2 and why in r.stderr, (args, r.stderr)


def test_annual_hours_follow_the_policy():
    """Issue 15: the annual-hours reminder goes out on the days `policy set`
    shows, to CQOs whose policy sets a quota, counting the kinds it names.
    钱七 (record 6, 碑林区 610112) has 4 h of 线上自学 this year and 30 h of
    继续教育 last year; Shaanxi's demo policy asks for 30 h of 线上自学.
    张三 (兰山区) has 20 of Shandong's 30 h."""
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        d.ctl("calendar load " + os.path.join(os.path.dirname(__file__), "..", "..", "data",
                                              "cn-workcalendar.csv"))
        d.ctl("grant wecom:w1 qianqi cqo 6")   # a record number, as the chat's 授权
        out = d.ctl("policy set 61 --training-month 6")
        assert "年度学时提醒：每年 06-01" in out and "计入学时的培训：线上自学" in out, out
        out = d.ctl("remind --dry-run --date 2026-06-01")
        assert "→ wecom|w1|user|0|qianqi" in out, out
        assert "已完成 4.0 学时，还差 26.0 学时（要求 30.0 学时）" in out, out
        assert "zhangsan" not in out, out
        out = d.ctl("remind --dry-run --date 2026-09-01")
        assert "→ wecom|w1|user|0|zhangsan" in out, out
        assert "已完成 20.0 学时，还差 10.0 学时" in out and "qianqi" not in out, out
        # Shandong drops its quota: no annual-hours reminder at all.
        out = d.ctl("policy set 37 --annual-hours 0")
        assert "年度培训学时：不要求" in out and "年度学时提醒：无" in out, out
        out = d.ctl("remind --dry-run --date 2026-09-01")
        assert "学时" not in out, out


def test_advise_dismissal_reaches_the_enterprise_contact():
    """Issue 15: a 建议解聘 stands in the clerks' digest as 待送达企业 until the
    enterprise binds a contact (企业联系人) with the code a clerk issues for
    it; the contact is then sent the notice, worded to the enterprise,
    through the instance they bound on, and the digest drops it."""
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        at(d, "2026-06-22 09:30:00")
        say = Chat(d, "rm")
        text, err = say("建议解聘 2 违法违规 测试", "clerk-ls")
        assert not err and "送达企业：待送达：该企业尚未绑定企业联系人" in text, text
        sid = int(re.search(r"处理号 (\d+)", text).group(1))
        assert one(d, "SELECT count(*) FROM reminder_ledger WHERE rule = 'sanction_enterprise'") \
            == 0
        at(d, "2026-06-23 09:30:00")
        digest = texts(d, "clerk-ls")[-1]
        assert "待送达企业：张三（示例精密机械有限公司，记录号 2），建议解聘（处理号 %d" % sid \
            in digest, digest
        # Contacts are bound by code, never granted.
        r = subprocess.run(as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config,
                                                "grant", "generic", "boss", "contact", "2"],
                           capture_output=True, text=True, env=d.env)
        assert r.returncode == 2 and "企业联系人不能授权" in r.stderr, r.stderr
        code = re.search(r"绑定码：(\w{8})", say("绑定码 企业 2", "clerk-ls")[0]).group(1)
        inner = wecom_inner("绑定 " + code, sender="ent-w2", msg_id="7100000000000000002")
        enc = wecom_encrypt(WECOM2_AES, inner.replace("ww-test-corp-1", WECOM2_CORP), WECOM2_CORP)
        query = wecom_query(enc, token=WECOM2_TOKEN, ts=str(d.now()))
        status, body, _ = d.request("POST", "/webhook/wecom/w2?" + query, wecom_envelope(enc),
                                    {"Content-Type": "text/xml"})
        assert status == 200, (status, body)
        assert rows(d, "SELECT i.role, i.instance, e.name FROM identities i JOIN enterprises e"
                       " ON e.id = i.enterprise_id WHERE i.user_id = 'ent-w2'") \
            == [("contact", "w2", "示例精密机械有限公司")]
        notice = texts(d, "ent-w2")
        assert len(notice) == 1 and "处理通知 · 建议解聘首席质量官" in notice[0], notice
        assert "示例精密机械有限公司：贵单位首席质量官张三（记录号 2），事由：违法违规，测试。" in notice[0]
        assert "处理号 %d" % sid in notice[0]
        assert rows(d, "SELECT destination FROM outbox WHERE destination LIKE '%ent-w2'"
                       " AND idem_key NOT LIKE 'reply:%'") == [("wecom|w2|user|0|ent-w2",)]
        wait_until(lambda: [r for r in fake.requests(SEND)
                            if json.loads(r["body"]).get("touser") == "ent-w2"],
                   "the notice sent to the contact", 20)
        assert one(d, "SELECT count(*) FROM reminder_ledger WHERE rule = 'sanction_enterprise'"
                      " AND record_id = ? AND outbox_id IS NOT NULL", sid) == 1
        # A week on the digest no longer lists it.
        before = len(texts(d, "clerk-ls"))
        at(d, "2026-06-30 09:30:00")
        later = texts(d, "clerk-ls")[before:]
        assert later and not any("待送达企业" in t for t in later), later


def test_sweep_collects_off_the_loop():
    """What a sweep sends is collected on a worker thread with a read-only
    connection: while the test hook holds that read (standing in for a large
    registry's), a 查询 is answered at once; then the sweep sends what it
    sends without the hook, and its time on the loop leaves the read out."""
    hold_ms = 1500
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        d.env["CQOD_TEST_SWEEP_COLLECT_DELAY_MS"] = str(hold_ms)
        d.use_clock_file("2026-06-26 09:30:00")
        d.start(settled=False)
        t0 = time.monotonic()
        status, body = d.webhook("查询 张三", "q-held", sender="u-admin")
        took = time.monotonic() - t0
        assert status == 200 and "张三" in body["reply"]["text"], body
        assert swept(d) == [], "the sweep ended before the 查询 was answered"
        assert took < hold_ms / 1000 / 2, took
        wait_swept(d, "2026-06-26")
        msgs = texts(d, "zhangsan")
        assert len(msgs) == 1 and "还有 8 天" in msgs[0], msgs
        line = d.wait_log(r"reminders: swept 2026-06-26")
        m = re.search(r"in ([\d.]+) ms on the loop \(collected off it in ([\d.]+) ms", line)
        assert m and float(m.group(1)) < hold_ms / 2 <= float(m.group(2)), line


def test_stop_while_the_sweep_collects():
    """SIGTERM while the collect is held on its worker: cqod waits for the
    worker, exits cleanly with nothing recorded, and the next start sweeps
    the day once."""
    with FakePlatform() as fake, reminders_daemon(fake) as d:
        d.env["CQOD_TEST_SWEEP_COLLECT_DELAY_MS"] = "1000"
        d.use_clock_file("2026-06-26 09:30:00")
        d.start(settled=False)
        d.wait_log(r"calendar: covers")
        assert d.stop() == 0
        assert swept(d) == [] and texts(d, "zhangsan") == []
        del d.env["CQOD_TEST_SWEEP_COLLECT_DELAY_MS"]
        d.start()
        wait_swept(d, "2026-06-26")
        msgs = texts(d, "zhangsan")
        assert len(msgs) == 1 and "还有 8 天" in msgs[0], msgs
