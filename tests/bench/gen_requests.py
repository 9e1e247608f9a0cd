"""Writes N signed generic-webhook requests ('signature<TAB>body' lines) that
query names present in a registry seeded by 'cqoctl seed'."""
import hashlib
import hmac
import json
import sys

secret, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    for i in range(count):
        body = json.dumps({"msg_id": "bench-%d" % i, "chat_id": "bench", "chat_type": "private",
                           "sender_id": "bench-admin", "sender_name": "bench",
                           "text": "查询 测试人员%06d" % (i * 7919 % 100000)},
                          ensure_ascii=False, separators=(",", ":"))
        sig = "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        f.write(sig + "\t" + body + "\n")
