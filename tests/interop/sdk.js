#!/usr/bin/env node
// The platforms' official SDKs, driven by tests/integration/test_interop.py:
//   node sdk.js <op>   reads one JSON object on stdin, prints one JSON object
//                      as the last line of stdout; exits 1 on any failure.
//
//   wecom-encrypt     {aes_key, corp_id, token, message, timestamp, nonce}
//                     -> {encrypt, signature}   (@wecom/crypto encrypt + getSignature)
//   wecom-decrypt     {aes_key, token, encrypt, timestamp, nonce, signature}
//                     -> {message, id}          (signature checked with the SDK first)
//   feishu-encrypt    {encrypt_key, plaintext} -> {body}   {"encrypt":...} that the SDK's
//                                               AESCipher reads back
//   feishu-request    {encrypt_key, verification_token, plaintext, timestamp, nonce}
//                     -> {body, signature}      an encrypted, signed request that the
//                                               SDK's EventDispatcher accepts
//   feishu-challenge  {encrypt_key, body} -> {challenge}  (the SDK's generateChallenge)
'use strict';

const crypto = require('crypto');
const wecom = require('@wecom/crypto');
const lark = require('@larksuiteoapi/node-sdk');

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

function fail(why) {
  process.stderr.write(`sdk.js: ${why}\n`);
  process.exit(1);
}

// The Node SDK only decrypts; the request is encrypted here the way Feishu
// does (key = SHA-256(encrypt_key), random IV in front, PKCS#7), and the SDK
// must then read it back.
function feishuEncrypt(encryptKey, plaintext) {
  const key = crypto.createHash('sha256').update(encryptKey).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

const ops = {
  'wecom-encrypt': (a) => {
    const encrypt = wecom.encrypt(a.aes_key, a.message, a.corp_id);
    return { encrypt, signature: wecom.getSignature(a.token, a.timestamp, a.nonce, encrypt) };
  },

  'wecom-decrypt': (a) => {
    const want = wecom.getSignature(a.token, a.timestamp, a.nonce, a.encrypt);
    if (want !== a.signature) fail(`MsgSignature ${a.signature}, the SDK computes ${want}`);
    const { message, id } = wecom.decrypt(a.aes_key, a.encrypt);
    return { message, id };
  },

  'feishu-encrypt': (a) => {
    const encrypt = feishuEncrypt(a.encrypt_key, a.plaintext);
    if (new lark.AESCipher(a.encrypt_key).decrypt(encrypt) !== a.plaintext)
      fail('AESCipher does not read back what was encrypted');
    return { body: JSON.stringify({ encrypt }) };
  },

  'feishu-request': async (a) => {
    const { body } = ops['feishu-encrypt'](a);
    // The SDK signs JSON.stringify(parsed body): for this compact body those
    // are the raw bytes, so the daemon (raw bytes) and the SDK agree.
    const signature = crypto.createHash('sha256')
      .update(a.timestamp + a.nonce + a.encrypt_key + body).digest('hex');
    const headers = {
      'x-lark-request-timestamp': a.timestamp,
      'x-lark-request-nonce': a.nonce,
      'x-lark-signature': signature,
    };
    const type = JSON.parse(a.plaintext).header.event_type;
    let seen = null;
    const dispatcher = new lark.EventDispatcher({
      encryptKey: a.encrypt_key, verificationToken: a.verification_token, logger: quiet,
    }).register({ [type]: (data) => { seen = data; return 'ok'; } });
    await dispatcher.invoke(Object.assign(Object.create({ headers }), JSON.parse(body)));
    if (!seen) fail('the SDK refused the request it was given');
    return { body, signature };
  },

  'feishu-challenge': (a) => {
    const { isChallenge, challenge } = lark.generateChallenge(JSON.parse(a.body), {
      encryptKey: a.encrypt_key,
    });
    if (!isChallenge) fail('the SDK does not see a challenge');
    return { challenge };
  },
};

async function main() {
  const op = ops[process.argv[2]];
  if (!op) fail(`unknown op ${process.argv[2]}`);
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const out = await op(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
