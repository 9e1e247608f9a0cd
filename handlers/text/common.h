/*
 * Texts every command family shares: role names, help, the dispatcher's
 * outcomes, the console, forms, validation, masking, confirmation and paging.
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_COMMON_H
#define CQOD_TEXT_COMMON_H

/* roles: display names, also accepted by role_parse() */
#define TXT_ROLE_ADMIN          "管理员"
#define TXT_ROLE_CLERK          "工作人员"
/* 办事员 is a civil-service rank, not the role; staff still type it */
#define TXT_ROLE_CLERK_ALIAS    "办事员"
#define TXT_ROLE_ORGANIZER      "组织者"
#define TXT_ROLE_CQO            "首席质量官"
#define TXT_ROLE_GUEST          "访客"
#define TXT_ROLE_CONTACT        "企业联系人"

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
#define TXT_INTERNAL_FAULT      "抱歉，系统出现内部错误，本次操作未执行，请联系管理员。"
#define TXT_TOO_LONG            "消息太长或参数太多，请精简后再发。"
#define TXT_BAD_INPUT           "无法识别的输入：引号未闭合或含有非法字符。"
#define TXT_EMPTY               "请输入命令，发送“帮助”查看可用命令。"

/* console */
#define TXT_CONSOLE_FORM        "请逐行填写“字段：值”，填完后输入空行提交。"
#define TXT_CONSOLE_BANNER      "cqod 控制台 · 以%s身份操作 · 输入“帮助”查看命令，Ctrl-D 退出"

/* forms: "键：值" lines */
#define TXT_FORM_NO_COLON        "第 %d 行缺少冒号，应为“字段：值”"
#define TXT_FORM_UNKNOWN_FIELD   "第 %d 行：未知字段“%.*s”"
#define TXT_FORM_REPEATED_FIELD  "第 %d 行：字段“%s”重复填写"
#define TXT_FORM_MISSING_FIELD   "缺少必填字段“%s”"
#define TXT_FORM_FIELD_REQUIRED  "%s：（必填）"
#define TXT_FORM_FIELD_OPTIONAL  "%s："

/* validation: one line saying what was wrong with a value */
#define TXT_V_CREDIT_LENGTH      "统一社会信用代码应为 18 位，实际为 %zu 位"
#define TXT_V_CREDIT_CHARS       "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）"
#define TXT_V_CREDIT_CHECK       "统一社会信用代码校验位错误：应为 %c"
#define TXT_V_PHONE              "电话格式不正确：手机为 11 位数字，座机如 0539-1234567"
#define TXT_V_EMAIL              "电子邮箱格式不正确"
#define TXT_V_DATE               "日期格式不正确，应如 2026-11-21 或 2026年11月21日"
#define TXT_V_DATE_REAL          "日期不存在，请检查年月日"
#define TXT_V_DATETIME           "时间格式不正确，应如 2026-11-21 14:30"
#define TXT_V_SIZE               "企业规模应为 大型、中型 或 小微"
#define TXT_V_INDUSTRY           "行业代码格式不正确，应为国民经济行业分类代码（如 C3411、3411）或门类名称（如 制造业）"
#define TXT_V_GENDER             "性别应为 男 或 女"
#define TXT_V_INT                "%s应为 %ld 到 %ld 之间的整数"
#define TXT_V_HOURS              "学时应为大于 0、不超过 200 的数，最多一位小数"
#define TXT_V_HOURS_IMPLAUSIBLE  "学时应为大于 0、不超过 200 的数：单次培训 %s 学时不合常理，请核对后重新登记"
#define TXT_V_REGION             "地区代码应为 2、4 或 6 位数字（GB/T 2260）"

/* masking in group chats */
#define TXT_MASK_YEAR            "%.4s 年"

/* confirmation of two-step commands */
#define TXT_CONFIRM_NAME         "确认"
#define TXT_CONFIRM_USAGE        "确认 <确认码>"
#define TXT_CONFIRM_HELP         "确认执行需要二次确认的操作"
#define TXT_CONFIRM_ASK          "请回复“确认 %s”执行；回复“取消”放弃（%d 分钟内有效）。"
#define TXT_CONFIRM_NONE         "没有待确认的操作，或确认码错误、已过期、已使用。"
#define TXT_CANCEL_NAME          "取消"
#define TXT_CANCEL_USAGE         "取消"
#define TXT_CANCEL_HELP          "放弃待确认的操作"
#define TXT_CANCEL_DONE          "已取消，未做任何更改。"
#define TXT_CANCEL_NONE          "没有待确认的操作。"

/* paging */
#define TXT_PAGE_NAME            "下一页"
#define TXT_PAGE_USAGE           "下一页"
#define TXT_PAGE_HELP            "查看上一个列表的下一页"
#define TXT_PAGE_RANGE           "第 %zu–%zu 条，共 %zu 条"
#define TXT_PAGE_MORE            "发送“下一页”查看更多"
#define TXT_PAGE_NONE            "没有可翻页的列表，请重新发送列表命令。"

#endif
