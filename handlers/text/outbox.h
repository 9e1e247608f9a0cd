/*
 * The outbox: 队列, pushes shown at the console, dead-letter notices and
 * cqoctl outbox.
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_OUTBOX_H
#define CQOD_TEXT_OUTBOX_H

/* the outbox: 队列, pushes shown at the console, dead-letter notices, cqoctl outbox */
#define TXT_CONSOLE_PUSH         "【推送 → %s】"
#define TXT_CONSOLE_FILE         "文件《%s》已生成：%s"            /* name, path */
#define TXT_QUEUE_NAME           "队列"
#define TXT_QUEUE_USAGE          "队列"
#define TXT_QUEUE_HELP           "查看待发送消息的队列：积压、最早到期、投递失败"
#define TXT_QUEUE_TITLE          "发送队列"
#define TXT_QUEUE_DEPTH          "待发送"
#define TXT_QUEUE_DEPTH_VALUE    "%lld 条（其中正在发送 %lld 条）"
#define TXT_QUEUE_OLDEST         "最早到期"
#define TXT_QUEUE_OLDEST_VALUE   "%s（已等待 %s）"
#define TXT_QUEUE_NONE_DUE       "无（没有到期未发的消息）"
#define TXT_QUEUE_DEAD           "投递失败"
#define TXT_QUEUE_COUNT          "%lld 条"
#define TXT_QUEUE_DEAD_HINT \
	"投递失败的消息已放弃发送：运维人员可用 cqoctl outbox --state dead 查看原因，" \
	"排除后用 cqoctl outbox retry --dead 重发。"
#define TXT_WAIT_SECONDS         "%lld 秒"
#define TXT_WAIT_MINUTES         "%lld 分钟"
#define TXT_WAIT_HOURS           "%lld 小时 %lld 分钟"
#define TXT_WAIT_DAYS            "%lld 天 %lld 小时"
#define TXT_OUTBOX_NOTICE_TITLE  "消息投递失败"
#define TXT_OUTBOX_NOTICE_NEW    "新增失败"
#define TXT_OUTBOX_NOTICE_TOTAL  "累计失败"
/* cqoctl outbox */
#define TXT_CTL_HELP_OUTBOX      "查看和管理待发送消息的队列（outbox）"
#define TXT_CTL_USAGE_OUTBOX \
	"用法：cqoctl outbox [--state pending|inflight|sent|dead] [--limit N]\n" \
	"      cqoctl outbox retry 编号|--dead\n" \
	"      cqoctl outbox drop 编号\n" \
	"      cqoctl outbox send --dest 目的地 --text 文字 [--count N]\n" \
	"不带动作时列出队列中的消息，最新的在前（--limit 默认 50，1 到 100000）：编号、状态、\n" \
	"目的地、失败次数、排定时间、最近一次尝试和错误；不显示消息内容。状态：pending 待发送，\n" \
	"inflight 正在发送，sent 已发送，dead 投递失败（已放弃）。\n" \
	"retry 让一条待发送或投递失败的消息立即发送；--dead 重发全部投递失败的消息。\n" \
	"drop 删除一条消息，不再发送。\n" \
	"send 经队列发送 N 条测试消息（1 到 100000，默认 1），用于检查平台连接；N 大于 1 时\n" \
	"每条文字后附“（序号/N）”。目的地写作“平台|实例|类型|0|对象”，平台为 wecom、dingtalk\n" \
	"或 feishu，类型为 user、chat 或 robot（群机器人不写对象），如 wecom|alerts|robot|0|。\n" \
	"运行中的 cqod 在一秒内发现这些变化。\n"
#define TXT_CTL_OB_HEADER        "编号\t状态\t目的地\t失败次数\t排定时间\t最近尝试\t错误\n"
#define TXT_CTL_OB_LINE          "%lld\t%s\t%s\t%d\t%s\t%s\t%s\n"
#define TXT_CTL_OB_NEVER         "-"
#define TXT_CTL_OB_NONE          "队列中没有符合条件的消息\n"
#define TXT_CTL_OB_BAD_STATE     "--state 应为 pending、inflight、sent 或 dead"
#define TXT_CTL_OB_BAD_ID        "消息编号应为正整数"
#define TXT_CTL_OB_NO_ROW        "没有编号为 %lld 的消息"
#define TXT_CTL_OB_INFLIGHT      "消息 %lld 正在发送，请稍后再试"
#define TXT_CTL_OB_SENT          "消息 %lld 已经发送"
#define TXT_CTL_OB_RETRIED       "消息 %lld 将立即发送\n"
#define TXT_CTL_OB_RETRIED_DEAD  "%d 条投递失败的消息将立即重发\n"
#define TXT_CTL_OB_DROPPED       "已删除消息 %lld\n"
#define TXT_CTL_OB_FILE_LEFT     "cqoctl outbox: 消息已删除，但其文件 %s 未能删除：%s\n"
#define TXT_CTL_OB_BAD_DEST \
	"目的地“%s”无效：应为“平台|实例|类型|0|对象”（平台 wecom、dingtalk 或 feishu，" \
	"类型 user、chat 或 robot）"
#define TXT_CTL_OB_NEED_SEND     "send 需要 --dest 和 --text"
#define TXT_CTL_OB_COUNTED       "%s（%ld/%ld）"
#define TXT_CTL_OB_QUEUED        "已加入发送队列：%ld 条\n"
#define TXT_CTL_OB_ACTION        "动作应为 retry、drop 或 send；不带动作时列出消息"

#endif
