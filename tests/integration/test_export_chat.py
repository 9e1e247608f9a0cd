"""导出 统计 in the chat: the 统计表 goes back to the asker as a file
message, through the outbox. At the fake platform servers: the upload (its
multipart body: the field, the file name, the type, and bytes that open as
the same workbook cqoctl exports, read cell by cell), then the file
message naming the media id the upload returned. An expired media id is
uploaded again; a failed message is sent again without a second upload.
The file is 0600 in the daemon's cqod-files/ while it exists and is gone
after the send and after giving up. A guest is refused and a region beyond
a clerk's scope is "not found"; the console writes the file and prints
where.

The clock is the real one (the platforms' signatures carry it); the
tables asked for are of 2025, counted as of its last day."""
import hashlib
import json
import os
import re
import stat
import subprocess
import base64

from harness import Daemon, rows, wait_until
from platforms import (FakePlatform, ding_body, ding_post, feishu_event, feishu_post,
                       platform_config, wecom_inner, wecom_open_reply, wecom_post, xml_field)
from test_export_xlsx import Book, export_dir

NAME_2025 = "临沂市首席质量官基本情况统计表（2025年）.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def daemon(fake, extra=""):
    # The real clock: the platforms' signed timestamps are checked against it.
    return Daemon(platform_config(fake.base) + extra)


def script(fake, prefix, responses):
    fake._call("POST", "/_script", json.dumps({"path_prefix": prefix, "responses": responses}))


def multipart(req):
    """The parts of a recorded multipart request: [(name, filename, type, bytes)]."""
    body = base64.b64decode(req["body_b64"]) if req["body_b64"] else req["body"].encode()
    m = re.search(r'boundary=("?)([^";]+)\1', req["headers"]["content-type"])
    assert req["headers"]["content-type"].startswith("multipart/form-data"), req["headers"]
    sep = b"--" + m.group(2).encode()
    parts = []
    for chunk in body.split(sep)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk[2:].partition(b"\r\n\r\n")
        head = head.decode("utf-8")
        name = re.search(r'name="([^"]*)"', head).group(1)
        fn = re.search(r'filename="([^"]*)"', head)
        ctype = re.search(r"Content-Type: (\S+)", head)
        parts.append((name, fn.group(1) if fn else None, ctype.group(1) if ctype else None,
                      data[:-2]))
    return parts


def files_dir(d):
    return os.path.join(d.dir, "cqod-files")


def file_name(d, row_id):
    """The name of file row row_id's workbook: its id and the start of the
    SHA-256 of its spec (the row's payload)."""
    (spec,) = rows(d, "SELECT payload FROM outbox WHERE id = ?", row_id)[0]
    return "outbox-%d-%s.xlsx" % (row_id, hashlib.sha256(spec.encode()).hexdigest()[:16])


def listing(d):
    path = files_dir(d)
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def assert_same_book(d, data, region, year):
    """data opens as the workbook cqoctl exports for region and year: the
    same sheets, cell by cell."""
    out = export_dir(d)
    sent = os.path.join(out, "sent.xlsx")
    with open(sent, "wb") as f:
        f.write(data)
    want = os.path.join(out, "want.xlsx")
    d.ctl("export", "stats", "--region", region, "--year", year, "--format", "xlsx", "-o", want)
    got_book, want_book = Book(sent), Book(want)
    assert got_book.names == want_book.names, (got_book.names, want_book.names)
    assert "规上" in got_book.names
    for name in want_book.names:
        assert got_book.cells(name) == want_book.cells(name), name
    cells = got_book.cells("规上")
    assert cells["A1"][0] == "临沂市（3713） · 规上企业首席质量官统计（%s 年）" % year, cells["A1"]


def wecom_export(d, text, msg_id, sender="zhangsan"):
    status, body, _ = wecom_post(d, wecom_inner(text, sender=sender, msg_id=msg_id))
    assert status == 200, "\n".join(d.drain_log()[-30:])
    return xml_field(wecom_open_reply(body), "Content")


def test_wecom_upload_then_file_message():
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            d.ctl("grant", "wecom:w1", "zhangsan", "clerk", "3713")
            # A slow upload: the file is looked at while it waits.
            script(fake, "/cgi-bin/media/upload", [{"delay_ms": 1500}])
            d.start()
            content = wecom_export(d, "导出 统计 2025", "7100000000000000001")
            assert content == ("正在生成《%s》，生成后以文件消息发送到本会话，请稍候。" % NAME_2025), \
                content
            wait_until(lambda: listing(d) == [file_name(d, 1)], "the file", 10)
            assert stat.S_IMODE(os.stat(files_dir(d)).st_mode) == 0o700
            assert stat.S_IMODE(os.stat(os.path.join(files_dir(d), file_name(d, 1))).st_mode) \
                == 0o600

            up = fake.wait_requests("/cgi-bin/media/upload")
            assert len(up) == 1
            assert up[0]["query"]["type"] == "file" and up[0]["query"]["access_token"] == "tok-1"
            parts = multipart(up[0])
            assert [(p[0], p[1], p[2]) for p in parts] == [("media", NAME_2025, XLSX_TYPE)]
            assert_same_book(d, parts[0][3], "3713", "2025")

            sent = fake.wait_requests("/cgi-bin/message/send")
            assert json.loads(sent[-1]["body"]) == {
                "agentid": 1000002, "touser": "zhangsan", "msgtype": "file",
                "file": {"media_id": "media-1"}}
            wait_until(lambda: listing(d) == [], "the file removed", 10)
            wait_until(lambda: rows(d, "SELECT state, kind, media_id FROM outbox"
                                       " WHERE kind = 'file'") == [("sent", "file", "media-1")],
                       "the row settled", 10)
            assert rows(d, "SELECT command, entity FROM audit_log WHERE entity = 'export'") == \
                [("导出", "export")]


def test_expired_media_is_uploaded_again_and_a_failed_message_is_not():
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            d.ctl("grant", "wecom:w1", "zhangsan", "clerk", "3713")
            # Busy once (the message is sent again with the same media id),
            # then the media id is refused (uploaded again).
            script(fake, "/cgi-bin/message/send", [
                {"body": {"errcode": -1, "errmsg": "system busy"}},
                {"body": {"errcode": 40007, "errmsg": "invalid media_id"}}])
            d.start()
            wecom_export(d, "导出 统计 2025 规上", "7100000000000000002")
            sent = fake.wait_requests("/cgi-bin/message/send", 3, timeout=30)
            ups = fake.requests("/cgi-bin/media/upload")
            media = [json.loads(s["body"])["file"]["media_id"] for s in sent]
            assert len(ups) == 2, ups
            assert media[0] == media[1] != media[2], media
            assert all(s["time"] > ups[0]["time"] for s in sent)
            assert ups[1]["time"] > sent[1]["time"] and sent[2]["time"] > ups[1]["time"]
            assert multipart(ups[1])[0][1] == "临沂市规上企业首席质量官基本情况统计表（2025年）.xlsx"
            # Both uploads are the same file: built once, kept until sent.
            assert multipart(ups[0])[0][3] == multipart(ups[1])[0][3]
            wait_until(lambda: listing(d) == [], "the file removed", 10)
            # The file goes when the send ends; its row settles just after.
            wait_until(lambda: rows(d, "SELECT state FROM outbox WHERE kind = 'file'") ==
                       [("sent",)], "the row settled", 10)
            assert rows(d, "SELECT state, attempts, media_id FROM outbox WHERE kind = 'file'") \
                == [("sent", 2, media[2])]


def test_given_up_file_is_removed():
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            d.ctl("grant", "wecom:w1", "zhangsan", "clerk", "3713")
            script(fake, "/cgi-bin/media/upload",
                   [{"body": {"errcode": 40004, "errmsg": "invalid media type"}}])
            d.start()
            wecom_export(d, "导出 统计", "7100000000000000003")
            fake.wait_requests("/cgi-bin/media/upload")
            wait_until(lambda: rows(d, "SELECT state FROM outbox WHERE kind = 'file'") ==
                       [("dead",)], "the row given up", 10)
            wait_until(lambda: listing(d) == [], "the file removed", 10)
            assert not fake.requests("/cgi-bin/message/send")


def file_row_waiting(fake, d, text, msg_id, busy):
    """张三 (a clerk of 3713) exports with text; the upload is busy (the next
    `busy` times), so the file row waits for its retry with its workbook
    built; d stopped."""
    d.ctl("grant", "wecom:w1", "zhangsan", "clerk", "3713")
    script(fake, "/cgi-bin/media/upload",
           [{"body": {"errcode": -1, "errmsg": "system busy"}}] * busy)
    d.start()
    wecom_export(d, text, msg_id)
    fake.wait_requests("/cgi-bin/media/upload")
    wait_until(lambda: rows(d, "SELECT state FROM outbox WHERE kind = 'file'") ==
               [("pending",)], "the row waiting for its retry", 10)
    d.stop()


def test_dropped_file_row_takes_its_file():
    """cqoctl outbox drop on a file row waiting for its retry removes the
    workbook too: nothing is left in cqod-files/ that no row will send."""
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            file_row_waiting(fake, d, "导出 统计 2025", "7100000000000000004", 5)
            assert listing(d) == [file_name(d, 1)]
            assert d.ctl("outbox", "drop", "1") == "已删除消息 1\n"
            assert listing(d) == []
            assert rows(d, "SELECT count(*) FROM outbox WHERE kind = 'file'") == [(0,)]


def drop_from(d, file_id):
    """Drops the newest rows from file_id on (the answer's too), so that the
    next row takes file_id again."""
    for (row_id,) in rows(d, "SELECT id FROM outbox WHERE id >= ? ORDER BY id DESC", file_id):
        d.ctl("outbox", "drop", str(row_id))


def test_a_reused_row_id_never_sends_an_old_file():
    """Outbox ids are reused when the newest row is dropped. A workbook left
    behind by a dropped row (its removal failed, or cqoctl died before it)
    is never sent for the row that takes its id: the file is named after the
    row's spec too, so the new row builds its own table."""
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            # Busy once only: the export after it must go through.
            file_row_waiting(fake, d, "导出 统计 2024", "7100000000000000005", 1)
            (old,) = listing(d)
            with open(os.path.join(files_dir(d), old), "rb") as f:
                left = f.read()
            (file_id,) = rows(d, "SELECT id FROM outbox WHERE kind = 'file'")[0]
            drop_from(d, file_id)
            # As if its removal had failed: the old workbook is still there.
            with open(os.path.join(files_dir(d), old), "wb") as f:
                f.write(left)
            d.start()
            wecom_export(d, "导出 统计 2025", "7100000000000000006")
            wait_until(lambda: rows(d, "SELECT id, state FROM outbox WHERE kind = 'file'") ==
                       [(file_id, "sent")], "the new row, under the same id, sent", 30)
            up = fake.requests("/cgi-bin/media/upload")[-1]
            assert_same_book(d, multipart(up)[0][3], "3713", "2025")


def test_a_reused_row_id_with_the_same_table_never_sends_an_old_file():
    """The same as above when the new row asks for the very same table (the
    same 导出 统计 again that day): the file is named after the request as
    well, so a workbook left behind, with the figures as they stood then, is
    not taken for the new row's."""
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            file_row_waiting(fake, d, "导出 统计 2024", "7100000000000000007", 1)
            (old,) = listing(d)
            (file_id,) = rows(d, "SELECT id FROM outbox WHERE kind = 'file'")[0]
            drop_from(d, file_id)
            # Left behind, and holding other figures than today's table.
            d.ctl("export", "stats", "--region", "3713", "--year", "2023", "--format", "xlsx",
                  "-o", os.path.join(files_dir(d), old))
            d.start()
            wecom_export(d, "导出 统计 2024", "7100000000000000008")
            wait_until(lambda: rows(d, "SELECT id, state FROM outbox WHERE kind = 'file'") ==
                       [(file_id, "sent")], "the new row, under the same id, sent", 30)
            up = fake.requests("/cgi-bin/media/upload")[-1]
            assert_same_book(d, multipart(up)[0][3], "3713", "2024")


def test_feishu_and_dingtalk_file_messages():
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            d.ctl("grant feishu:plain ou_sender clerk 3713")
            d.ctl("grant dingtalk:d1 staff-1 clerk 3713")
            d.start()
            status, _, _ = feishu_post(d, feishu_event("export stats 2025", event_id="ex-fs-1",
                                                       message_id="om_ex1").encode())
            assert status == 200
            reply = fake.wait_requests("/open-apis/im/v1/messages/om_ex1/reply")
            assert "正在生成" in json.loads(reply[-1]["body"])["content"]
            up = fake.wait_requests("/open-apis/im/v1/files")
            assert up[0]["headers"]["authorization"] == "Bearer tok-1"
            parts = multipart(up[0])
            assert [(p[0], p[1]) for p in parts] == [("file_type", None), ("file_name", None),
                                                     ("file", NAME_2025)]
            assert parts[0][3] == b"xls" and parts[1][3].decode() == NAME_2025
            assert_same_book(d, parts[2][3], "3713", "2025")
            wait_until(lambda: [r for r in fake.requests("/open-apis/im/v1/messages")
                                if r["path"] == "/open-apis/im/v1/messages"],
                       "the file message", 10)
            sent = [r for r in fake.requests("/open-apis/im/v1/messages")
                    if r["path"] == "/open-apis/im/v1/messages"]
            assert sent[0]["query"]["receive_id_type"] == "chat_id"
            msg = json.loads(sent[0]["body"])
            assert msg["receive_id"] == "oc_chat" and msg["msg_type"] == "file", msg
            assert re.fullmatch(r"file_v2_\d+", json.loads(msg["content"])["file_key"]), msg

            status, _, _ = ding_post(d, ding_body(fake, text="导出 统计 2025", msg_id="ex-ding-1"))
            assert status == 200
            up = fake.wait_requests("/media/upload")
            assert up[0]["query"]["type"] == "file"
            parts = multipart(up[0])
            assert [(p[0], p[1]) for p in parts] == [("media", NAME_2025)]
            sent = fake.wait_requests("/v1.0/robot/oToMessages/batchSend")
            body = json.loads(sent[-1]["body"])
            assert body["robotCode"] == "ding-robot" and body["userIds"] == ["staff-1"]
            assert body["msgKey"] == "sampleFile"
            param = json.loads(body["msgParam"])
            assert re.fullmatch(r"@media-\d+", param.pop("mediaId")), body
            assert param == {"fileName": NAME_2025, "fileType": "xlsx"}, param
            wait_until(lambda: listing(d) == [], "the files removed", 10)


def test_refusals_and_platforms_without_files():
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            d.ctl("grant", "wecom:w1", "zhangsan", "clerk", "371302")
            d.start()
            # A guest: refused, nothing queued.
            content = wecom_export(d, "导出 统计", "7100000000000000010", sender="lisi")
            assert "您没有权限使用“导出”" in content, content
            # Beyond the clerk's scope: as a region that does not exist.
            out = wecom_export(d, "导出 统计 3713", "7100000000000000011")
            missing = wecom_export(d, "导出 统计 999999", "7100000000000000012")
            assert "地区代码 3713 不存在" in out and "管辖范围" not in out, out
            assert out.replace("3713", "999999") == missing, (out, missing)
            # The generic adapter takes no files: told so and how else.
            d.ctl("grant generic u-clerk clerk 3713")
            status, data = d.webhook("导出 统计", "gen-ex-1", sender="u-clerk")
            assert status == 200 and "cqoctl export stats --format xlsx" in data["reply"]["text"], data
            assert rows(d, "SELECT count(*) FROM outbox WHERE kind = 'file'") == [(0,)]
            assert not fake.requests("/cgi-bin/media/upload")


def test_console_writes_the_file_and_prints_where():
    with FakePlatform() as fake:
        d = daemon(fake)
        with d:
            out = console_export(d, "导出 统计 3713 2025", 1)
            path = os.path.join(files_dir(d), file_name(d, 1))
            assert "正在生成《%s》" % NAME_2025 in out, out
            assert "文件《%s》已生成：%s" % (NAME_2025, path) in out, out
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
            with open(path, "rb") as f:
                assert_same_book(d, f.read(), "3713", "2025")
            # A second console (its request ids start again) and a category
            # that is no tag: one sheet of it.
            out = console_export(d, "导出 统计 临沂市 中小企业 2025", 2)
            assert "临沂市中小企业首席质量官基本情况统计表（2025年）.xlsx" in out, out
            book = Book(os.path.join(files_dir(d), file_name(d, 2)))
            assert book.names == ["中小企业"], book.names
            assert book.cells("中小企业")["A1"][0] == \
                "临沂市（3713） · 中小企业首席质量官统计（2025 年）"


def console_export(d, text, n):
    """Runs text at a console on d's database until its n-th file row is
    written; the console's output."""
    cmd = [os.path.join(d.dir, "cqod"), "--console", "-c", d.config]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, env=d.env)
    try:
        p.stdin.write(text + "\n")
        p.stdin.flush()
        # Written and settled before the console's input ends.
        wait_until(lambda: rows(d, "SELECT count(*) FROM outbox WHERE kind = 'file'"
                                   " AND state = 'sent'") == [(n,)], "the file written", 30)
    finally:
        p.stdin.close()
        out = p.stdout.read()
        code = p.wait(30)
        p.stdout.close()
    assert code == 0, (code, out)
    return out
