/*
 * Reminders: the daily sweep's messages, 收到, 未确认, 提醒, cqoctl remind.
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_REMIND_H
#define CQOD_TEXT_REMIND_H

/* reminders: the daily sweep's messages, 收到, 未确认, 提醒, cqoctl remind */
#define TXT_RMD_TITLE            "首席质量官提醒 · %s"              /* date */
#define TXT_RMD_LATE             "（补发：应于 %s 提醒）"          /* the working day it was due */
#define TXT_RMD_AT               "%s（记录号 %lld）"              /* enterprise, record */
#define TXT_RMD_TERM_LEFT        "任期提醒：您在%s的首席质量官任期将于 %s 届满，还有 %lld 天。请企业及时续聘或重新选拔，并向市场监管部门备案。"
#define TXT_RMD_TERM_TODAY       "任期提醒：您在%s的首席质量官任期于今天（%s）届满。请企业及时续聘或重新选拔，并向市场监管部门备案。"
#define TXT_RMD_TERM_PAST        "任期提醒：您在%s的首席质量官任期已于 %s 届满。请企业尽快续聘或重新选拔，并向市场监管部门备案。"
#define TXT_RMD_OVERDUE          "任期逾期：您在%s的首席质量官任期已于 %s 届满，已逾期 %lld 天，尚未续聘或备案继任者。请企业尽快办理。"
#define TXT_RMD_TRAINING         "任职培训：您在%s的首席质量官备案已满 %lld 天，尚未登记任职培训，请尽快参加。"
#define TXT_RMD_HOURS            "年度学时：%d 年已完成 %.1f 学时，还差 %.1f 学时（要求 %.1f 学时），请在年底前完成。"
#define TXT_RMD_SANCTION         "【%s】处理号 %lld，%s，事由：%s（%s 下发）。"  /* kind, id, record, reason, date */
#define TXT_RMD_SANCTION_TIME    "约谈时间：%s，地点：%s。"
#define TXT_RMD_SANCTION_RECTIFY "请于 %s 前完成整改。"
#define TXT_RMD_SUMMONS_TOMORROW "约谈提醒：处理号 %lld（%s）的约谈定于明天 %s，地点：%s。"
#define TXT_RMD_SUMMONS_TODAY    "约谈提醒：处理号 %lld（%s）的约谈定于今天 %s，地点：%s。"
#define TXT_RMD_SUMMONS_ON       "约谈提醒：处理号 %lld（%s）的约谈定于 %s，地点：%s。"
#define TXT_RMD_RECTIFY          "整改提醒：处理号 %lld（%s）的整改期限为 %s，请按时完成。"
#define TXT_RMD_EVENT            "活动提醒：您报名的%s“%s”将于 %s 开始%s%s。"  /* kind, title, time, sep, place */
#define TXT_RMD_EVENT_PLACE_SEP  "，地点："
#define TXT_RMD_OFF_HINT         "发送“提醒 关闭 <任期|培训|学时|活动>”可关闭该类提醒；处理通知不能关闭。"
#define TXT_RMD_FOOTER           "回复“收到”确认已阅。"
#define TXT_RMD_NOTICE_TITLE     "处理通知 · %s"                  /* kind */
#define TXT_RMD_NOTICE_FOOTER    "请回复“收到”确认已收到本通知。"
/* a 建议解聘 to the enterprise's contact: enterprise, person, record, reason,
 * date, id */
#define TXT_RMD_ENT_NOTICE_TITLE "处理通知 · 建议解聘首席质量官"
#define TXT_RMD_ENT_SANCTION     "%s：贵单位首席质量官%s（记录号 %lld），事由：%s。市场监管部门于 %s 建议贵单位依规解聘其首席质量官职务（处理号 %lld）。"
#define TXT_RMD_ENT_FOOTER       "请贵单位依规处理，并及时选任继任首席质量官、向市场监管部门备案。"
/* the clerks' digest */
#define TXT_DIGEST_TITLE         "辖区提醒汇总 · %s"              /* date */
#define TXT_DIGEST_WHO           "%s（%s，记录号 %lld）"          /* person, enterprise, record */
#define TXT_DIGEST_TERM          "任期将届满：%s，%s 届满，剩余 %lld 天"
#define TXT_DIGEST_TERM_TODAY    "任期今日届满：%s，%s 届满"
#define TXT_DIGEST_TERM_PAST     "任期将届满：%s，%s 届满"
#define TXT_DIGEST_OVERDUE       "任期已逾期：%s，%s 届满，逾期 %lld 天，未续聘或备案继任者"
#define TXT_DIGEST_TRAINING      "未参加任职培训：%s，备案已满 %lld 天"
#define TXT_DIGEST_SANCTION      "处理未确认：%s，%s（处理号 %lld，%s 下发）"
#define TXT_DIGEST_SUMMONS       "约谈提醒：%s，处理号 %lld，%s"
#define TXT_DIGEST_RECTIFY       "整改提醒：%s，处理号 %lld，%s 到期"
/* person (enterprise, record), id, date, record */
#define TXT_DIGEST_ENTERPRISE    "待送达企业：%s，建议解聘（处理号 %lld，%s 下发），该企业尚未绑定企业联系人；请发送“绑定码 企业 %lld”签发绑定码并转交企业"
#define TXT_DIGEST_UNBOUND       "%s（未绑定，无法提醒）"
#define TXT_DIGEST_MORE          "……另有 %zu 项未列出：发送“到期”“逾期”“未培训”“未确认”查看完整名单。"
#define TXT_DIGEST_FOOTER        "回复“收到”确认已阅；发送“未确认”查看尚未确认的首席质量官。"
/* the admins: the holiday calendar runs out */
#define TXT_CAL_WARN_TITLE       "节假日日历即将用完"
#define TXT_CAL_WARN             "工作日日历只到 %s。国务院公布 %d 年节假日安排后，请更新 cn-workcalendar.csv 并重新加载（systemctl reload cqod，或 cqoctl calendar load 文件）；否则从 %d 年起只按周一至周五发送提醒。"
/* 收到 */
#define TXT_ACK_NAME             "收到"
#define TXT_ACK_USAGE            "收到"
#define TXT_ACK_HELP             "确认已收到提醒和处理通知"
#define TXT_ACK_DONE             "已确认收到 %d 条提醒。"
#define TXT_ACK_DONE_SANCTIONS   "已确认收到 %d 条提醒、%d 项处理通知。"
#define TXT_ACK_NONE             "没有待确认的提醒。"
/* 未确认 */
#define TXT_UNACKED_NAME         "未确认"
#define TXT_UNACKED_USAGE        "未确认"
#define TXT_UNACKED_HELP         "列出辖区内尚未确认收到的处理通知和提醒"
#define TXT_UNACKED_TITLE        "尚未确认的处理和提醒（%zu 项）"
#define TXT_UNACKED_NONE         "辖区内没有尚未确认的处理通知或提醒。"
#define TXT_UNACKED_LINE         "%zu. %s（%s，记录号 %lld）：%s，%s"   /* n, person, enterprise, record, what, date */
#define TXT_UNACKED_SANCTION     "%s（处理号 %lld）"              /* kind, id */
#define TXT_UNACKED_TERM         "任期提醒"
#define TXT_UNACKED_OVERDUE      "任期逾期"
#define TXT_UNACKED_TRAINING     "任职培训"
#define TXT_UNACKED_SUMMONS      "约谈提醒"
#define TXT_UNACKED_RECTIFY      "整改提醒"
/* 提醒 关闭|开启 <类别> */
#define TXT_RMDSET_NAME          "提醒"
#define TXT_RMDSET_USAGE         "提醒 [关闭|开启 <任期|培训|学时|活动>]"
#define TXT_RMDSET_HELP          "查看或设置您接收的提醒"
#define TXT_RMDSET_TITLE         "您的提醒设置"
#define TXT_RMDSET_TERM          "任期"
#define TXT_RMDSET_TRAINING      "培训"
#define TXT_RMDSET_HOURS         "学时"
#define TXT_RMDSET_EVENT         "活动"
#define TXT_RMDSET_SANCTION      "处理通知"
#define TXT_RMDSET_ON            "开启"
#define TXT_RMDSET_OFF           "已关闭"
#define TXT_RMDSET_ALWAYS        "始终发送（不能关闭）"
#define TXT_RMDSET_HINT          "发送“提醒 关闭 类别”或“提醒 开启 类别”更改。"
#define TXT_RMDSET_BAD_ACTION    "第一个参数应为“关闭”或“开启”"
#define TXT_RMDSET_BAD_CATEGORY  "提醒类别应为：任期、培训、学时、活动"
#define TXT_RMDSET_NO_MUTE       "处理通知（约谈、警示、整改期限等）必须送达本人，不能关闭。"
#define TXT_RMDSET_MUTED         "已关闭%s提醒。发送“提醒 开启 %s”可恢复。"
#define TXT_RMDSET_UNMUTED       "已开启%s提醒。"
#define TXT_RMDSET_WAS_MUTED     "%s提醒本来就已关闭。"
#define TXT_RMDSET_WAS_ON        "%s提醒本来就是开启的。"
/* cqoctl remind */
#define TXT_CTL_HELP_REMIND      "试运行提醒：列出某天将发送的提醒，不发送、不记录"
#define TXT_CTL_USAGE_REMIND \
	"用法：cqoctl remind --dry-run [--date YYYY-MM-DD]\n" \
	"列出 cqod 在该日（默认今天）的提醒扫描中将发送的每条消息：收件人和正文，\n" \
	"包括停机后补发的提醒；既不发送，也不写入数据库。已发送过的提醒不再列出。\n" \
	"工作日按数据库中的节假日日历计算（cqod 启动时载入，或 cqoctl calendar load）。\n" \
	"  --dry-run          试运行（必填）\n" \
	"  --date YYYY-MM-DD  假定的日期（中国标准时间）\n"
#define TXT_CTL_REMIND_DRY       "目前只支持试运行，请加 --dry-run"
#define TXT_CTL_REMIND_DATE      "日期应为 YYYY-MM-DD 格式的真实日期：%s"
#define TXT_CTL_REMIND_OFF_DAY   "%s 不是工作日，不发送提醒；下一个工作日是 %s。\n"
#define TXT_CTL_REMIND_HEAD      "%s 的提醒（试运行：不发送，不记录），里程碑日期 %s 至 %s：\n"
#define TXT_CTL_REMIND_LATE_HEAD "（含停机期间错过的提醒，上次扫描：%s）\n"
#define TXT_CTL_REMIND_TO        "\n→ %s\n"                       /* destination */
#define TXT_CTL_REMIND_SUMMARY   "\n共 %zu 条消息，%zu 项提醒。\n"
#define TXT_CTL_REMIND_NO_CAL    "注意：节假日日历只到 %s，之后只按周一至周五计算工作日。\n"

#endif
