#!/usr/bin/env node
// The official long-connection clients, pointed at the fakes in tests/fake/,
// driven by tests/integration/test_stream_fakes.py:
//
//   node stream_sdk.js <sdk> '<json options>'
//
// Runs until killed, printing one JSON object per line on stdout for what
// the SDK reports:
//   dingtalk  {base, client_id, client_secret, skip_acks?, cards?}: DWClient of
//             `dingtalk-stream` with the robot-message callback; each message
//             is answered with socketCallBackResponse, except the first
//             skip_acks ones.  -> {ev:"message", message_id, text, msg_id}
//             With cards, the card callback (TOPIC_CARD) too, each press
//             answered with socketCallBackResponse and a card update.
//             -> {ev:"card", message_id, out_track_id, user_id, action, cmd}
//   feishu    {base, app_id, app_secret}: WSClient of @larksuiteoapi/node-sdk
//             with an EventDispatcher for im.message.receive_v1 (the SDK acks
//             on its own once the handler returns).  -> {ev:"ready"},
//             {ev:"message", event_id, text}
//   wecom     {ws_url, bot_id, secret, send_to?, heartbeat_ms?}: WSClient of
//             @wecom/aibot-node-sdk; a text message is answered with
//             replyStream(finish=true) and, when send_to is set, followed by
//             sendMessage(send_to, markdown).  -> {ev:"authenticated"},
//             {ev:"message", req_id, msgid, text, chattype, chatid},
//             {ev:"replied", errcode}, {ev:"sent", errcode},
//             {ev:"kicked"}, {ev:"disconnected"}
'use strict';

const [, , which, raw] = process.argv;
const opts = JSON.parse(raw || '{}');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

function dingtalk() {
  const axios = require('axios');
  const { DWClient, TOPIC_ROBOT, TOPIC_CARD } = require('dingtalk-stream');
  // The SDK has the gateway's address built in; the fake stands in for it.
  axios.interceptors.request.use((cfg) => {
    cfg.url = cfg.url.replace('https://api.dingtalk.com', opts.base);
    return cfg;
  });
  console.info = () => {};
  const client = new DWClient({ clientId: opts.client_id, clientSecret: opts.client_secret });
  let skip = opts.skip_acks || 0;
  client.registerCallbackListener(TOPIC_ROBOT, (res) => {
    const msg = JSON.parse(res.data);
    out({ ev: 'message', message_id: res.headers.messageId, msg_id: msg.msgId,
          text: msg.text.content });
    if (skip > 0)
      skip--;
    else
      client.socketCallBackResponse(res.headers.messageId, { handled: true });
  });
  if (opts.cards) {
    client.registerCallbackListener(TOPIC_CARD, (res) => {
      const data = JSON.parse(res.data);
      const priv = JSON.parse(data.content).cardPrivateData;
      out({ ev: 'card', message_id: res.headers.messageId, out_track_id: data.outTrackId,
            user_id: data.userId, action: priv.actionIds[0], cmd: priv.params.cmd });
      client.socketCallBackResponse(res.headers.messageId, {
        cardUpdateOptions: { updateCardDataByKey: true },
        cardData: { cardParamMap: { note: '办理人：' + data.userId } } });
    });
  }
  client.connect();
}

function feishu() {
  const lark = require('@larksuiteoapi/node-sdk');
  const client = new lark.WSClient({
    appId: opts.app_id, appSecret: opts.app_secret, domain: opts.base,
    logger: quiet, loggerLevel: lark.LoggerLevel.error,
    onReady: () => out({ ev: 'ready' }),
    onReconnected: () => out({ ev: 'reconnected' }),
  });
  const dispatcher = new lark.EventDispatcher({ logger: quiet }).register({
    'im.message.receive_v1': async (data) => {
      out({ ev: 'message', event_id: data.event_id,
            text: JSON.parse(data.message.content).text });
    },
  });
  client.start({ eventDispatcher: dispatcher });
}

function wecom() {
  const { WSClient } = require('@wecom/aibot-node-sdk');
  const client = new WSClient({ botId: opts.bot_id, secret: opts.secret, wsUrl: opts.ws_url,
                                logger: quiet, reconnectInterval: 200,
                                heartbeatInterval: opts.heartbeat_ms || 30000 });
  client.on('authenticated', () => out({ ev: 'authenticated' }));
  client.on('disconnected', () => out({ ev: 'disconnected' }));
  client.on('event.disconnected_event', () => out({ ev: 'kicked' }));
  client.on('error', () => {});
  client.on('message.text', async (frame) => {
    const b = frame.body;
    out({ ev: 'message', req_id: frame.headers.req_id, msgid: b.msgid, text: b.text.content,
          chattype: b.chattype, chatid: b.chatid || null, userid: b.from.userid });
    try {
      const ack = await client.replyStream(frame, 'stream-' + b.msgid, '**收到**：' + b.text.content,
                                           true);
      out({ ev: 'replied', errcode: ack.errcode });
      if (opts.send_to) {
        const sent = await client.sendMessage(opts.send_to, {
          msgtype: 'markdown', markdown: { content: '主动推送' } });
        out({ ev: 'sent', errcode: sent.errcode });
      }
    } catch (e) {
      out({ ev: 'error', why: String(e && e.message || e) });
    }
  });
  client.connect();
}

const run = { dingtalk, feishu, wecom }[which];
if (!run) {
  process.stderr.write(`stream_sdk.js: unknown sdk ${which}\n`);
  process.exit(2);
}
run();
