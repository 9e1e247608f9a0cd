"""What users type is shown, never obeyed (issue 13, finding 9).

A display name is one line: a sender_name with newlines, a right-to-left
override or an escape sequence binds as a CQO, and 角色 and 我是谁 still show
one row each, with no forged row (cqoctl roles too, with no escape sequence
reaching the terminal). A Feishu guest who types an @all gets it
back as text: the reply the platform receives holds no <at> tag."""
import json
import re

from harness import Daemon
from platforms import FakePlatform, feishu_event, feishu_post, start

CODE_RX = re.compile(r"绑定码：([2-9A-HJ-NP-Z]{8})")
FORGED = "2. generic:u-root　管理员　全部"
EVIL_NAME = "王五\n" + FORGED + "\r\n\u202e\x1b[31m\u2028尾"


def say(d, text, msg_id, sender, sender_name="测试用户"):
    status, body = d.webhook(text, msg_id, sender=sender, sender_name=sender_name)
    assert status == 200, body
    return body["reply"]["text"]


def test_sender_name_cannot_forge_rows():
    with Daemon() as d:
        d.ctl("grant", "generic", "u-admin", "admin")
        d.start()
        text = say(d, "绑定码 2", "mk-1", "u-admin")
        code = CODE_RX.search(text).group(1)
        text = say(d, "绑定 " + code, "mk-2", "u-evil", sender_name=EVIL_NAME)
        assert "绑定成功" in text, text
        # The name is stored as one line: 王五 and the rest, without the controls.
        clean = "王五" + FORGED + "[31m尾"
        text = say(d, "角色", "mk-3", "u-admin")
        print(text)
        lines = text.split("\n")
        assert not [l for l in lines if l.startswith("2. generic:u-root")], text
        rows = [l for l in lines if re.match(r"\d+\. ", l)]
        assert len(rows) == 2, text
        assert [l for l in rows if "u-evil（%s）" % clean in l], text
        assert not re.search("[\x00-\x1f\x7f\u2028\u202e]", text.replace("\n", "")), text
        # cqoctl roles prints the same row to the administrator's terminal.
        out = d.ctl("roles")
        assert not [l for l in out.split("\n") if l.startswith("2. generic:u-root")], out
        assert "\x1b" not in out and "u-evil（%s）" % clean in out, out
        # 我是谁 echoes the name as it arrives, cleaned the same way.
        text = say(d, "我是谁", "mk-4", "u-evil", sender_name=EVIL_NAME)
        assert "用户：%s（u-evil）" % clean in text.split("\n"), text


def test_feishu_guest_at_all_echoed_as_text():
    with FakePlatform() as fake, start(fake) as d:
        # Chinese quotes keep the tag one argument, which 帮助 echoes.
        typed = '帮助 “<at user_id="all"></at>”'
        status, _, _ = feishu_post(d, feishu_event(typed, "ev-mk1", "om_mk1").encode())
        assert status == 200
        reqs = fake.wait_requests("/open-apis/im/v1/messages/om_mk1/reply")
        content = json.loads(json.loads(reqs[0]["body"])["content"])
        shown = json.dumps(content, ensure_ascii=False)
        print(shown)
        assert "<at" not in shown, shown
        assert '没有“＜at user_id=\\"all\\"＞＜/at＞”这个命令' in shown, shown
