"""Writes N signed generic-webhook requests ('timestamp<TAB>signature<TAB>body'
lines) that query names present in a registry seeded by 'cqoctl seed' (which
names record k "测试人员%06d", except every 50th, which gets a common name).
They are stamped now: cqod takes them for 300 seconds. With a fifth
argument, a comma-separated list of terms, the requests query those terms in
turn instead (ids bench-t-N, apart from the first set's; a sixth argument
replaces the prefix bench-t, for a second set of the same terms)."""
import hashlib
import hmac
import json
import sys
import time

def message_body(msg_id, text):
    """The bench admin's private generic-webhook message, as bytes."""
    return json.dumps({"msg_id": msg_id, "chat_id": "bench", "chat_type": "private",
                       "sender_id": "bench-admin", "sender_name": "bench", "text": text},
                      ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret, ts, body):
    """X-Cqod-Signature of body (bytes) stamped ts (text)."""
    return "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body,
                                hashlib.sha256).hexdigest()


def person(i, population):
    k = 1 + i * 7919 % (population - 1)
    return k + 1 if k % 50 == 0 else k


def main():
    secret, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    population = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
    terms = sys.argv[5].split(",") if len(sys.argv) > 5 else None
    term_ids = (sys.argv[6] if len(sys.argv) > 6 else "bench-t") + "-%d"
    ts = str(int(time.time()))
    with open(path, "w") as f:
        for i in range(count):
            text = "查询 " + (terms[i % len(terms)] if terms
                              else "测试人员%06d" % person(i, population))
            body = message_body((term_ids if terms else "bench-%d") % i, text)
            f.write(ts + "\t" + signature(secret, ts, body) + "\t" + body.decode() + "\n")


if __name__ == "__main__":
    main()
