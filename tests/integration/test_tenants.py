"""Identity is (platform, tenant, user id) (issue 13): the same user id in two
WeCom corps or two generic instances is two people, for roles and for
confirmations; cqoctl names users by <platform>:<instance>; identities from
before the upgrade take their tenant from their first message; and 绑定 is
rate limited per identity and in all."""
import json
import re
import subprocess
import os

from harness import Chat, Daemon, as_user_prefix, rows
from platforms import (WECOM2_AES, WECOM2_CORP, WECOM2_TOKEN, WECOM_CORP, FakePlatform,
                       ding_body, ding_post, feishu_event, feishu_post, platform_config,
                       wecom_inner, wecom_open_reply, wecom_post, xml_field)

T2_SECRET = "second-tenant-secret-42"
T2 = "[generic:t2]\nsecret = %s\n" % T2_SECRET
CONFIRM_RX = re.compile(r"确认 (\d{6})")


def ctl(d, *args):
    cmd = as_user_prefix() + [os.path.join(d.dir, "cqoctl"), "-c", d.config] + list(args)
    d._own()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=d.env)
    return r.returncode, r.stdout, r.stderr


def wecom_say(d, text, sender, msg_id, corp2=False):
    """A WeCom text from `sender` through w1 (corp 1) or w2 (corp 2); the
    passive reply's text."""
    inner = wecom_inner(text, sender=sender, msg_id=msg_id)
    if corp2:
        inner = inner.replace(WECOM_CORP, WECOM2_CORP)
        status, body, _ = wecom_post(d, inner, name="w2", aes=WECOM2_AES, corp=WECOM2_CORP,
                                     token=WECOM2_TOKEN)
        assert status == 200, body
        return xml_field(wecom_open_reply(body, aes=WECOM2_AES, token=WECOM2_TOKEN,
                                          corp=WECOM2_CORP), "Content")
    status, body, _ = wecom_post(d, inner)
    assert status == 200, body
    return xml_field(wecom_open_reply(body), "Content")


def test_two_wecom_corps_with_the_same_user_id():
    with FakePlatform() as fake:
        full = platform_config(fake.base)
        # Granted while corp 1 was the only WeCom corp, by its plain name;
        # then corp 2 is added, with its own ZhangWei.
        d = Daemon(full[:full.index("[wecom:w2]")])
        with d:
            d.ctl("grant wecom ZhangWei admin")
            d.write_config(full)
            d.start()
            text = wecom_say(d, "角色", "ZhangWei", "7300000000000000001")
            assert "已授权用户" in text and "ZhangWei" in text, text
            # Corp 2's ZhangWei is someone else: a guest.
            text = wecom_say(d, "角色", "ZhangWei", "7300000000000000002", corp2=True)
            assert "您没有权限使用“角色”" in text, text
            text = wecom_say(d, "我是谁", "ZhangWei", "7300000000000000003", corp2=True)
            assert "访客" in text and WECOM2_CORP in text, text
            # A grant in the chat is for the asker's corp only.
            text = wecom_say(d, "授权 LiNa 办事员 371302", "ZhangWei", "7300000000000000004")
            assert "已将 LiNa 授权为工作人员" in text, text
            text = wecom_say(d, "我是谁", "LiNa", "7300000000000000005", corp2=True)
            assert "访客" in text, text
            text = wecom_say(d, "我是谁", "LiNa", "7300000000000000006")
            assert "工作人员" in text and WECOM_CORP in text, text
            assert rows(d, "SELECT tenant, user_id, role, instance FROM identities"
                           " WHERE platform = 'wecom' ORDER BY user_id") == [
                (WECOM_CORP, "LiNa", "clerk", "w1"), (WECOM_CORP, "ZhangWei", "admin", "w1")]
            # The audit names the actor's corp.
            assert rows(d, "SELECT actor_tenant FROM audit_log WHERE command = '授权'") \
                == [(WECOM_CORP,)]


def test_confirmation_belongs_to_its_tenant():
    d = Daemon()
    with d:
        d.ctl("grant generic u-admin admin")
        d.write_config(T2)
        d.ctl("grant generic:t2 u-admin admin")
        d.start()
        say = Chat(d, "tn", {"t2": T2_SECRET})
        text, err = say("解聘 2 个人原因")
        assert not err, text
        code = CONFIRM_RX.search(text).group(1)
        # u-admin of generic:t2 is another person: the code is not theirs.
        text, err = say("确认 " + code, name="t2")
        assert err and "没有待确认的操作" in text, text
        text, err = say("取消", name="t2")
        assert "没有待确认" in text, text
        assert rows(d, "SELECT status FROM appointments WHERE id = 2") == [("active",)]
        text, err = say("确认 " + code)
        assert not err and "已解聘" in text, text


def test_whoami_shows_the_tenant():
    with FakePlatform() as fake:
        d = Daemon(platform_config(fake.base))
        with d:
            d.start()
            text, _ = Chat(d, "tn", {"t2": T2_SECRET})("我是谁", sender="nobody")
            assert "组织：test" in text, text
            text = wecom_say(d, "我是谁", "lisi", "7300000000000000011")
            assert "组织：" + WECOM_CORP in text, text
            # DingTalk: the body's senderCorpId.
            status, _, _ = ding_post(d, ding_body(fake, text="我是谁", msg_id="tn-ding-1"))
            assert status == 200
            sent = fake.wait_requests("/robot/sendBySession")[-1]["body"]
            assert "组织" in sent and "dingcorp" in sent, sent
            # Feishu: header.tenant_key.
            status, _, _ = feishu_post(d, feishu_event("我是谁", event_id="tn-fs-1",
                                                       message_id="om_tn1").encode())
            assert status == 200
            sent = json.loads(fake.wait_requests(
                "/open-apis/im/v1/messages/om_tn1/reply")[-1]["body"])["content"]
            assert re.search(r"组织\W*t\W", sent), sent


def test_cqoctl_names_users_by_instance():
    d = Daemon(T2 + "\n[feishu:f]\napp_id = cli_f\napp_secret = s\nverification_token = v\n")
    with d:
        for args, status, why in (
                (["grant", "generic", "u1", "admin"], 1,
                 "generic 配置了多个实例，请写明 平台:实例：generic:test、generic:t2"),
                (["grant", "generic:bar", "u1", "admin"], 1,
                 "配置中没有实例 generic:bar；已配置的实例：generic:test、generic:t2"),
                (["grant", "wecom", "u1", "admin"], 1, "配置中没有实例 wecom"),
                (["grant", "nosuch:x", "u1", "admin"], 2, "未知平台“nosuch:x”"),
                (["revoke", "generic:bar", "u1"], 1, "配置中没有实例 generic:bar"),
                (["revoke", "generic", "u1"], 1, "generic 配置了多个实例")):
            rc, out, err = ctl(d, *args)
            assert rc == status and why in err and err.count("\n") == 1, (args, rc, err)
        assert rows(d, "SELECT count(*) FROM identities") == [(0,)]
        rc, out, err = ctl(d, "grant", "generic:t2", "u1", "admin")
        assert rc == 0 and "已将 generic:t2:u1 授权为管理员" in out, (out, err)
        # Feishu's tenant comes with its messages: pending until the first.
        rc, out, err = ctl(d, "grant", "feishu", "ou_1", "clerk", "371302")
        assert rc == 0, err
        assert rows(d, "SELECT platform, tenant, user_id, instance FROM identities"
                       " ORDER BY platform") == [("feishu", None, "ou_1", "f"),
                                                 ("generic", "t2", "u1", "t2")]
        rc, out, err = ctl(d, "roles")
        assert "generic:u1　管理员　全部地区　组织 t2" in out, out
        assert "feishu:ou_1　工作人员　兰山区（371302）　组织待定（该用户经 f 发来第一条消息时确定）" \
            in out, out
        # Audited like the chat's 授权.
        assert rows(d, "SELECT actor_platform, command, json_extract(after_json, '$.tenant')"
                       " FROM audit_log ORDER BY id") == [("cqoctl", "grant", "t2"),
                                                          ("cqoctl", "grant", None)]


def test_pending_identity_takes_the_tenant_of_its_first_message():
    with FakePlatform() as fake:
        d = Daemon(platform_config(fake.base))
        with d:
            d.ctl("grant feishu:plain ou_sender admin")
            d.start()
            status, _, _ = feishu_post(d, feishu_event("角色", event_id="tn-fs-2",
                                                       message_id="om_tn2").encode())
            assert status == 200
            sent = fake.wait_requests("/open-apis/im/v1/messages/om_tn2/reply")
            assert "已授权用户" in json.loads(sent[-1]["body"])["content"], sent
            d.wait_log(r"feishu:t:ou_sender: identity takes the tenant of its first message")
            assert rows(d, "SELECT tenant FROM identities") == [("t",)]
            assert rows(d, "SELECT actor_tenant, command FROM audit_log"
                           " WHERE command = 'upgrade'") == [("t", "upgrade")]


def bind_code(say):
    text, err = say("绑定码 2", sender="clerk-ls")
    assert not err, text
    return re.search(r"绑定码：(\w{8})", text).group(1)


def test_bind_codes_are_rate_limited():
    with FakePlatform() as fake:
        full = platform_config(fake.base)
        d = Daemon(full[:full.index("[wecom:w2]")], env={"CQOD_FAKE_NOW": "2026-06-01 10:00:00"})
        with d:
            d.ctl("grant generic clerk-ls clerk 371302")
            d.ctl("grant wecom boss admin")
            d.start()
            say = Chat(d, "tn", {"t2": T2_SECRET})
            code = bind_code(say)
            # Five wrong codes in ten minutes lock the sender out for an hour ...
            for i in range(5):
                text, err = say("绑定 WRONG%03d" % i, sender="phone")
                assert err and "绑定码无效" in text, text
            assert "您的绑定已暂停至" in text, text
            d.wait_log(r"bind: code refused for generic:test:phone \(5 in 10 min")
            d.wait_log(r"bind: generic:test:phone locked out of 绑定")
            # ... so the sixth attempt is refused even with the right code,
            text, err = say("绑定 " + code, sender="phone")
            assert err and "您的绑定已暂停至 2026-06-01 11:00" in text, text
            assert rows(d, "SELECT count(*) FROM identities WHERE user_id = 'phone'") == [(0,)]
            # which the counters, committed with the refusals, keep across a restart.
            d.stop()
            d.start()
            text, err = say("绑定 " + code, sender="phone")
            assert err and "您的绑定已暂停" in text, text
            # Another identity is not locked: the code works for it.
            text, err = say("绑定 " + code, sender="phone2")
            assert not err and "绑定成功" in text, text
            assert not any(code in l for l in d.drain_log())

            # A hundred refused codes in an hour pause 绑定 for everyone and tell
            # the admins.
            code = bind_code(say)
            for i in range(95):
                text, err = say("绑定 WRONG%03d" % i, sender="guess-%02d" % (i // 5))
                assert err and "绑定码无效" in text, (i, text)
            assert rows(d, "SELECT count(*) FROM bind_failures") == [(100,)]
            d.wait_log(r"bind: 绑定 paused for everyone for 60 min after 100 refused codes")
            text, err = say("绑定 " + code, sender="someone-new")
            assert err and "绑定功能已暂停至 2026-06-01 11:00" in text, text
            assert rows(d, "SELECT destination FROM outbox WHERE idem_key LIKE 'bind:paused:%'") \
                == [("wecom|w1|user|0|boss",)]
            sent = fake.wait_requests("/cgi-bin/message/send")
            notice = [json.loads(r["body"]) for r in sent]
            assert any("绑定功能已暂停" in json.dumps(n, ensure_ascii=False) for n in notice), \
                notice
