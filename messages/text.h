/*
 * Every user-facing Chinese string cqod sends, in one place so wording stays
 * consistent and can be reviewed together. Formats are string literals so
 * -Wformat=2 checks them at each call. One section per command family; add
 * new families as new sections.
 */
#ifndef CQOD_TEXT_H
#define CQOD_TEXT_H

/* common */
#define TXT_BOT_NAME            "首席质量官助手"
#define TXT_LIST_SEP            "、"

/* roles: display names, also accepted by role_parse() */
#define TXT_ROLE_ADMIN          "管理员"
#define TXT_ROLE_CLERK          "办事员"
#define TXT_ROLE_ORGANIZER      "组织者"
#define TXT_ROLE_CQO            "首席质量官"
#define TXT_ROLE_GUEST          "访客"

/* help */
#define TXT_HELP_NAME           "帮助"
#define TXT_HELP_USAGE          "帮助 [命令]"
#define TXT_HELP_HELP           "列出可用命令，或查看某个命令的用法"
#define TXT_HELP_TITLE          "%s · 可用命令"                /* bot name */
#define TXT_HELP_LINE           "%s — %s"                     /* usage, help */
#define TXT_HELP_FOOTER         "发送“帮助 命令”查看某个命令的详细用法"
#define TXT_HELP_CMD_TITLE      "命令：%s"                    /* command name */
#define TXT_HELP_KEY_USAGE      "用法"
#define TXT_HELP_KEY_DESC       "说明"
#define TXT_HELP_KEY_ALIASES    "别名"
#define TXT_HELP_KEY_ROLES      "可用角色"
#define TXT_HELP_ROLES_ANY      "所有人"
#define TXT_HELP_UNKNOWN_TITLE  "未知命令"
#define TXT_HELP_UNKNOWN        "没有“%s”这个命令"           /* the word typed */
#define TXT_HELP_SUGGEST        "您是不是要找："
#define TXT_HELP_SEE_ALL        "发送“帮助”查看全部可用命令"

/* dispatcher: outcomes common to every command */
#define TXT_DENIED              "您没有权限使用“%s”。"          /* command name */
#define TXT_GUEST_HINT          "您尚未绑定身份：首席质量官请发送“绑定 <绑定码>”，工作人员请联系管理员授权。"
#define TXT_USAGE_PREFIX        "用法："
#define TXT_INTERNAL_ERROR      "系统繁忙，请稍后再试。"
#define TXT_TOO_LONG            "消息太长或参数太多，请精简后再发。"
#define TXT_BAD_INPUT           "无法识别的输入：引号未闭合或含有非法字符。"
#define TXT_EMPTY               "请输入命令，发送“帮助”查看可用命令。"

/* query */
#define TXT_QUERY_NAME          "查询"
#define TXT_QUERY_USAGE         "查询 <姓名|企业名|统一社会信用代码|记录号>"
#define TXT_QUERY_HELP          "查询首席质量官备案记录"
#define TXT_QUERY_NONE          "未找到与“%s”匹配的记录（或不在您的管辖范围内）。"
#define TXT_QUERY_MANY_TITLE    "找到 %zu 条记录，请用记录号查询详情："
#define TXT_QUERY_MANY_LINE     "%zu. 记录号 %lld　%s　%s　%s"   /* n, id, person, enterprise, status */
#define TXT_QUERY_MORE          "……另有 %zu 条未列出，请缩小查询范围。"
#define TXT_CARD_TITLE          "首席质量官备案记录 · 记录号 %lld"
#define TXT_CARD_PERSON         "姓名"
#define TXT_CARD_EDUCATION      "学历/职称"
#define TXT_CARD_POSITION       "职务"
#define TXT_CARD_ENTERPRISE     "企业"
#define TXT_CARD_CREDIT         "统一社会信用代码"
#define TXT_CARD_REGION         "所在地区"
#define TXT_CARD_DOC            "聘任文件"
#define TXT_CARD_TERM           "任期"
#define TXT_CARD_TERM_FMT       "%s 至 %s"
#define TXT_CARD_STATUS         "状态"
#define TXT_CARD_DAYS_LEFT      "（剩余 %lld 天）"
#define TXT_CARD_DAYS_OVER      "（已过期 %lld 天）"
#define TXT_CARD_HOURS          "%d年培训学时"
#define TXT_CARD_HOURS_FMT      "%.1f 学时"
#define TXT_CARD_SANCTIONS      "未结处理"
#define TXT_CARD_SANCTION_NONE  "无"
#define TXT_CARD_SANCTION_LINE  "%s（%s）%s"                   /* kind, date, reason */
#define TXT_STATUS_ACTIVE       "在任"
#define TXT_STATUS_ENDED        "任期结束"
#define TXT_STATUS_DISMISSED    "已解聘"
#define TXT_STATUS_REMOVED      "已除名"
#define TXT_UNKNOWN_VALUE       "—"

/* whoami */
#define TXT_WHOAMI_NAME         "我是谁"
#define TXT_WHOAMI_USAGE        "我是谁"
#define TXT_WHOAMI_HELP         "查看您的身份与角色"
#define TXT_WHOAMI_TITLE        "您的身份"
#define TXT_WHOAMI_PLATFORM     "平台"
#define TXT_WHOAMI_USER         "用户"
#define TXT_WHOAMI_ROLE         "角色"
#define TXT_WHOAMI_SCOPE        "管辖范围"
#define TXT_WHOAMI_SCOPE_ALL    "全部地区"
#define TXT_WHOAMI_PERSON       "绑定记录"
#define TXT_WHOAMI_CHAT         "会话"
#define TXT_WHOAMI_PRIVATE      "私聊"
#define TXT_WHOAMI_GROUP        "群聊"

/* console */
#define TXT_CONSOLE_BANNER      "cqod 控制台 · 以%s身份操作 · 输入“帮助”查看命令，Ctrl-D 退出"

#endif
