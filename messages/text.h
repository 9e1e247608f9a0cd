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
#define TXT_INTERNAL_FAULT      "抱歉，系统出现内部错误，本次操作未执行，请联系管理员。"
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
#define TXT_WHOAMI_TENANT       "组织"
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
#define TXT_V_INDUSTRY           "行业代码格式不正确，应为国民经济行业分类代码，如 C3411 或 3411"
#define TXT_V_GENDER             "性别应为 男 或 女"
#define TXT_V_INT                "%s应为 %ld 到 %ld 之间的整数"
#define TXT_V_HOURS              "学时应为大于 0、不超过 1000 的数，最多一位小数"
#define TXT_V_REGION             "地区代码应为 2、4 或 6 位数字（GB/T 2260）"

/* masking in group chats */
#define TXT_MASK_YEAR            "%.4s年"

/* chat platforms: inbound messages cqod cannot read (images, files, stickers...) */
#define TXT_UNSUPPORTED_MSG      "暂不支持此类消息，请发送文字命令（发送“帮助”查看可用命令）。"

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

/* identities and roles (h9): 授权, 撤销授权, 角色; additions to 我是谁 and 查询 */
#define TXT_GRANT_NAME           "授权"
#define TXT_GRANT_USAGE          "授权 <@用户|用户ID> <角色> [地区代码|联盟名称或编号|记录号]"
#define TXT_GRANT_HELP           "授予角色：管理员；办事员 地区代码；组织者 联盟；首席质量官 记录号"
#define TXT_GRANT_BAD_USER       "用户应写作 @用户ID 或用户ID（不超过 %d 个字符）"
#define TXT_GRANT_BAD_ROLE       "未知角色“%s”：应为 管理员、办事员、组织者 或 首席质量官"
#define TXT_GRANT_ADMIN_NO_ARG   "管理员角色不带范围"
#define TXT_GRANT_NEED_REGION    "办事员需要管辖地区代码，如 371302"
#define TXT_GRANT_NEED_ALLIANCE  "组织者需要联盟名称或编号"
#define TXT_GRANT_NEED_RECORD    "首席质量官需要其备案记录号"
#define TXT_GRANT_NO_REGION      "地区代码 %s 不存在"
#define TXT_GRANT_NO_ALLIANCE    "没有名称或编号为“%s”的联盟"
#define TXT_GRANT_SELF           "不能更改自己的角色，请联系其他管理员。"
#define TXT_GRANT_LAST_ADMIN     "%s 是最后一位管理员，不能撤销或改为其他角色。"
#define TXT_GRANT_CLERK_ONLY     "办事员只能在本人管辖范围（%s）内授予或撤销办事员角色。"
#define TXT_GRANT_DONE           "已将 %s 授权为%s：%s。"        /* user, role, detail */
#define TXT_REVOKE_NAME          "撤销授权"
#define TXT_REVOKE_USAGE         "撤销授权 <@用户|用户ID>"
#define TXT_REVOKE_HELP          "撤销用户的角色，使其成为访客"
#define TXT_REVOKE_NONE          "用户 %s 没有任何授权。"
#define TXT_REVOKE_DONE          "已撤销 %s 的%s角色，该用户现为访客。"
#define TXT_ROLES_NAME           "角色"
#define TXT_ROLES_USAGE          "角色"
#define TXT_ROLES_HELP           "列出已授权的用户及其角色和范围"
#define TXT_ROLES_TITLE          "已授权用户（共 %zu 个）"
/* n, platform, user, （name）, role, detail, tenant */
#define TXT_ROLES_LINE           "%zu. %s:%s%s　%s　%s%s"
#define TXT_ROLES_TENANT         "　组织 %s"
#define TXT_ROLES_PENDING        "　组织待定（该用户经 %s 发来第一条消息时确定）"   /* instance */
#define TXT_ROLES_PENDING_ANY    "　组织待定（请用 平台:实例 重新授权）"
#define TXT_ROLES_USER_NAME      "（%s）"
#define TXT_ROLES_NONE           "没有已授权的用户。"
#define TXT_ROLE_DETAIL_ALL      "全部地区"
#define TXT_ROLE_DETAIL_REGION   "%s（%s）"                /* region name, code */
#define TXT_ROLE_DETAIL_ALLIANCE "%s（联盟编号 %lld）"
#define TXT_ROLE_DETAIL_PERSON   "%s（记录号 %lld）"
#define TXT_WHOAMI_ALLIANCE      "联盟"
#define TXT_CARD_GENDER          "性别"
#define TXT_CARD_BIRTH           "出生日期"
#define TXT_CARD_PHONE           "手机"
#define TXT_CARD_EMAIL           "邮箱"

/* audit history (h9): 审计 */
#define TXT_AUDIT_NAME           "审计"
#define TXT_AUDIT_USAGE          "审计 <记录号>"
#define TXT_AUDIT_HELP           "查看备案记录的操作历史：何时、何人、在哪个会话、做了什么"
#define TXT_AUDIT_TITLE          "记录号 %lld 的操作历史（%s · %s）"   /* id, person, enterprise */
#define TXT_AUDIT_EMPTY          "该记录还没有操作历史。"
#define TXT_AUDIT_LINE           "%s　%s:%s　会话 %s　%s　%s"   /* when, platform, user, chat, command, what */
#define TXT_AUDIT_CREATED        "新建%s"
#define TXT_AUDIT_DELETED        "删除%s"
#define TXT_AUDIT_CHANGED        "修改%s：%s"                  /* entity, fields */
#define TXT_AUDIT_UNCHANGED      "%s无变化"
#define TXT_AUDIT_CHANGED_SOME   "修改%s"
#define TXT_ENTITY_APPOINTMENT   "聘任记录"
#define TXT_ENTITY_TRAINING      "培训记录"
#define TXT_ENTITY_SANCTION      "处理记录"
#define TXT_ENTITY_HONOUR        "荣誉"
#define TXT_ENTITY_IDENTITY      "身份授权"
#define TXT_ENTITY_PERSON        "人员信息"
#define TXT_ENTITY_ENTERPRISE    "企业信息"
#define TXT_ENTITY_BIND_CODE     "绑定码"
#define TXT_ENTITY_ALLIANCE      "联盟"
#define TXT_ENTITY_TARGET        "聘任率目标"
#define TXT_ENTITY_POLICY        "地方政策"
#define TXT_FIELD_STATUS         "状态"
#define TXT_FIELD_START_DATE     "起始日期"
#define TXT_FIELD_TERM_END       "任期届满"
#define TXT_FIELD_ENDED_ON       "终止日期"
#define TXT_FIELD_END_REASON     "终止原因"
#define TXT_FIELD_DOC_NO         "聘任文件"
#define TXT_FIELD_PREDECESSOR    "前任记录"
#define TXT_FIELD_WARNINGS       "资格提示"
#define TXT_FIELD_REMARKS        "备注"
#define TXT_FIELD_PERSON         "人员"
#define TXT_FIELD_ENTERPRISE     "企业"
#define TXT_FIELD_APPOINTMENT    "记录号"
#define TXT_FIELD_KIND           "类型"
#define TXT_FIELD_DATE           "日期"
#define TXT_FIELD_HOURS          "学时"
#define TXT_FIELD_CERTIFICATE    "证书号"
#define TXT_FIELD_INSTITUTION    "机构"
#define TXT_FIELD_LEVEL          "级别"
#define TXT_FIELD_TIER           "层次"
#define TXT_FIELD_GROUND         "依据"
#define TXT_FIELD_REASON         "事由"
#define TXT_FIELD_ISSUED_ON      "处理日期"
#define TXT_FIELD_SCHEDULED_AT   "约谈时间"
#define TXT_FIELD_PLACE          "地点"
#define TXT_FIELD_RECTIFY_BY     "整改期限"
#define TXT_FIELD_ACKNOWLEDGED   "确认时间"
#define TXT_FIELD_REVOKED_BY     "撤销人"
#define TXT_FIELD_REVOKED_AT     "撤销时间"
#define TXT_FIELD_REVOKE_NOTE    "撤销说明"
#define TXT_FIELD_ID             "编号"
#define TXT_FIELD_NAME           "名称"
#define TXT_FIELD_YEAR           "年份"
#define TXT_FIELD_GENDER         "性别"
#define TXT_FIELD_BIRTH_DATE     "出生日期"
#define TXT_FIELD_EDUCATION      "学历"
#define TXT_FIELD_MAJOR          "专业"
#define TXT_FIELD_QUALITY_YEARS  "质量工作年限"
#define TXT_FIELD_POSITION       "职务"
#define TXT_FIELD_TITLE          "职称"
#define TXT_FIELD_PHONE          "手机"
#define TXT_FIELD_EMAIL          "邮箱"
#define TXT_FIELD_RESUME         "工作履历"
#define TXT_FIELD_CREDIT_CODE    "统一社会信用代码"
#define TXT_FIELD_REGION         "所在地区"
#define TXT_FIELD_INDUSTRY       "行业代码"
#define TXT_FIELD_SIZE           "企业规模"
#define TXT_FIELD_NATURE         "企业性质"
#define TXT_FIELD_EMPLOYEES      "职工人数"
#define TXT_FIELD_PRODUCTS       "主要产品"
#define TXT_FIELD_CONTACT_NAME   "联系人"
#define TXT_FIELD_CONTACT_PHONE  "联系电话"
#define TXT_FIELD_ROLE           "角色"
#define TXT_FIELD_SCOPE          "管辖范围"
#define TXT_FIELD_ALLIANCE       "联盟"
#define TXT_FIELD_PLATFORM       "平台"
#define TXT_FIELD_TENANT         "组织"
#define TXT_FIELD_USER           "用户"
#define TXT_FIELD_EXPIRES_AT     "有效期"
#define TXT_FIELD_USED_AT        "使用时间"
#define TXT_FIELD_CATEGORY       "类别"
#define TXT_FIELD_RATE           "目标比例"

/* records (h8): 培训, 约谈/警示/除名/黑名单/建议解聘, 撤销, 荣誉, 我的 */
#define TXT_RECREF_BAD_ID        "记录号应为正整数，如 2"
#define TXT_RECREF_NONE          "未找到记录号 %s，或该记录不在您的管辖范围内。"
#define TXT_RECREF_NOT_ACTIVE    "记录号 %lld 当前状态为“%s”，不能办理%s。"   /* id, status, command */
#define TXT_RECREF_WHO           "%s（%s）"                   /* person, enterprise */
#define TXT_RECREF_TOO_LONG      "%s不能超过 %d 个字"          /* field, limit */
#define TXT_RECREF_RECORD        "记录号"
#define TXT_TRAIN_NAME           "培训"
#define TXT_TRAIN_USAGE          "培训 <记录号> <类型> <日期> <学时> [证书号] [机构] [级别] [层次]"
#define TXT_TRAIN_HELP           "登记培训（任职培训、继续教育、线上自学），核对年度学时；可选项不填写“-”"
#define TXT_TRAIN_BAD_KIND       "培训类型“%s”无效，应为：任职培训、继续教育、线上自学"
#define TXT_TRAIN_FUTURE         "培训日期不能晚于今天（%s）"
#define TXT_TRAIN_BAD_LEVEL      "级别“%s”无效，应为：国家、省、市、县（也可写作省级、市级、县级）"
#define TXT_TRAIN_BAD_TIER       "层次“%s”无效，应为：高级 或 提升"
#define TXT_TRAIN_CERT           "证书号"
#define TXT_TRAIN_INSTITUTION    "培训机构"
#define TXT_TRAIN_DONE_TITLE     "已登记培训 · 记录号 %lld"
#define TXT_TRAIN_PERSON         "首席质量官"
#define TXT_TRAIN_ITEM           "培训"
#define TXT_TRAIN_ITEM_FMT       "%s，%s，%.1f 学时"            /* kind, date, hours */
#define TXT_TRAIN_LEVEL          "级别"
#define TXT_TRAIN_LEVEL_FMT      "%s级"
#define TXT_TRAIN_TIER           "层次"
#define TXT_TRAIN_YEAR           "%d年累计"
#define TXT_TRAIN_SHORT          "%.1f 学时，年度要求 %.1f 学时，还差 %.1f 学时"
#define TXT_TRAIN_MET            "%.1f 学时，已达到年度要求 %.1f 学时"
#define TXT_TRAIN_NO_REQUIREMENT "%.1f 学时（本地无年度学时要求）"
#define TXT_SAN_SUMMON_NAME      "约谈"
#define TXT_SAN_SUMMON_USAGE     "约谈 <记录号> <时间> <地点> <事由>"
#define TXT_SAN_SUMMON_HELP      "约谈首席质量官（时间如 2026-11-25 14:30）"
#define TXT_SAN_WARN_NAME        "警示"
#define TXT_SAN_WARN_USAGE       "警示 <记录号> <事由>"
#define TXT_SAN_WARN_HELP        "对首席质量官作出警示"
#define TXT_SAN_REMOVE_NAME      "除名"
#define TXT_SAN_REMOVE_USAGE     "除名 <记录号> <事由>"
#define TXT_SAN_REMOVE_HELP      "将首席质量官除名、移出人才库（需确认）"
#define TXT_SAN_BLACKLIST_NAME   "黑名单"
#define TXT_SAN_BLACKLIST_USAGE  "黑名单 <记录号> <事由>"
#define TXT_SAN_BLACKLIST_HELP   "将首席质量官列入黑名单、移出人才库（需确认）"
#define TXT_SAN_ADVISE_NAME      "建议解聘"
#define TXT_SAN_ADVISE_USAGE     "建议解聘 <记录号> <事由>"
#define TXT_SAN_ADVISE_HELP      "建议企业解聘首席质量官"
#define TXT_SAN_GROUNDS          "事由须以下列之一开头，其后可写明具体情况：违法违规、知情不报、拖延缓报、虚假报告、未完成继续教育、重大质量事故"
#define TXT_SAN_DETAIL           "事由说明"
#define TXT_SAN_PLACE            "约谈地点"
#define TXT_SAN_PAST             "约谈时间应晚于当前时间"
#define TXT_SAN_CONFIRM_REMOVE   "将对记录号 %lld %s作出除名处理：备案状态改为“已除名”，移出首席质量官人才库。事由：%s"
#define TXT_SAN_CONFIRM_BLACK    "将把记录号 %lld %s列入黑名单：备案状态改为“已除名”，移出首席质量官人才库。事由：%s"
#define TXT_SAN_CONFIRM_BLACK_KEEP "将把记录号 %lld %s列入黑名单，移出首席质量官人才库；备案状态（%s）不变。事由：%s"
#define TXT_SAN_DONE_TITLE       "已登记%s · 处理号 %lld"       /* kind, id */
#define TXT_SAN_RECORD_FMT       "%lld %s"                     /* id, person（enterprise） */
#define TXT_SAN_REASON           "事由"
#define TXT_SAN_REASON_FMT       "%s：%s"                      /* ground, details */
#define TXT_SAN_DATE             "日期"
#define TXT_SAN_TIME             "约谈时间"
#define TXT_SAN_STATUS           "备案状态"
#define TXT_SAN_STATUS_REMOVED   "已除名，已移出人才库"
#define TXT_SANREV_NAME          "撤销"
#define TXT_SANREV_USAGE         "撤销 <处理号> [说明]"
#define TXT_SANREV_HELP          "撤销一项处理（约谈、警示、除名、黑名单、建议解聘）"
#define TXT_SANREV_BAD_ID        "处理号应为正整数，如 7"
#define TXT_SANREV_NOTE          "说明"
#define TXT_SANREV_NONE          "未找到处理号 %s。"
#define TXT_SANREV_ALREADY       "处理号 %s 已撤销，无需重复操作。"
#define TXT_SANREV_DONE          "已撤销处理号 %lld（%s，记录号 %lld）。"   /* id, kind, record */
#define TXT_SANREV_RESTORED      "记录号 %lld 已恢复为“在任”。"
#define TXT_SANREV_OTHER         "记录号 %lld 仍有其他除名或黑名单处理，状态保持“已除名”。"
#define TXT_SANREV_SUCCESSOR     "该企业已有在任首席质量官，记录号 %lld 状态保持“已除名”。"
#define TXT_HONOUR_NAME          "荣誉"
#define TXT_HONOUR_USAGE         "荣誉 <记录号> <名称> <年份>"
#define TXT_HONOUR_HELP          "登记荣誉（优秀首席质量官、质量专家人才库、典型选树等）"
#define TXT_HONOUR_TITLE_FIELD   "荣誉名称"
#define TXT_HONOUR_EMPTY         "荣誉名称不能为空"
#define TXT_HONOUR_YEAR          "年份"
#define TXT_HONOUR_DUP           "%s已登记过 %d 年的“%s”。"     /* person, year, name */
#define TXT_HONOUR_DONE_TITLE    "已登记荣誉 · 记录号 %lld"
#define TXT_HONOUR_ITEM          "荣誉"
#define TXT_HONOUR_ITEM_FMT      "%d年 %s"                     /* year, name */
#define TXT_MINE_NAME            "我的"
#define TXT_MINE_USAGE           "我的"
#define TXT_MINE_HELP            "查看本人任期、年度培训学时、未结处理与荣誉"
#define TXT_MINE_TITLE           "我的首席质量官档案 · 记录号 %lld"
#define TXT_MINE_NONE            "您目前没有在任的首席质量官备案记录。"
#define TXT_MINE_LAST            "最近一条：记录号 %lld，%s，状态：%s。"   /* id, enterprise, status */
#define TXT_MINE_PERSON          "姓名"
#define TXT_MINE_ENTERPRISE      "企业"
#define TXT_MINE_TERM            "任期"
#define TXT_MINE_TERM_FMT        "%s 至 %s"
#define TXT_MINE_LEFT            "剩余"
#define TXT_MINE_DAYS_LEFT       "%lld 天"
#define TXT_MINE_DAYS_TODAY      "今天到期"
#define TXT_MINE_DAYS_OVER       "已过期 %lld 天，请联系企业办理续聘"
#define TXT_MINE_HOURS           "%d年培训学时"
#define TXT_MINE_INDUCTION       "任职培训"
#define TXT_MINE_INDUCTION_DONE  "已完成（%s）"
#define TXT_MINE_INDUCTION_NONE  "未登记"
#define TXT_MINE_SANCTIONS       "未结处理"
#define TXT_MINE_SANCTION_LINE   "%s（%s，处理号 %lld）%s"      /* kind, date, id, reason */
#define TXT_MINE_SUMMON_AT       "；约谈时间 %s，地点 %s"        /* time, place */
#define TXT_MINE_HONOURS         "荣誉"
#define TXT_MINE_NONE_ITEM       "无"
#define TXT_MINE_MORE            "……另有 %zu 项"

/* lists and statistics (h10): 到期, 逾期, 未培训, 处理名单, 空缺, 统计, 目标 */
#define TXT_LISTS_EXPIRING_NAME    "到期"
#define TXT_LISTS_EXPIRING_USAGE   "到期 [天数]"
#define TXT_LISTS_EXPIRING_HELP    "列出任期在若干天内（默认 90 天）届满的首席质量官"
#define TXT_LISTS_EXPIRING_TITLE   "%ld 天内任期届满的首席质量官（共 %zu 人）"     /* days, count */
#define TXT_LISTS_EXPIRING_NONE    "%ld 天内没有任期届满的首席质量官。"
#define TXT_LISTS_EXPIRING_LINE    "%zu. 记录号 %lld　%s　%s　%s　任期至 %s（剩余 %lld 天）"
#define TXT_LISTS_DAYS_FIELD       "天数"
#define TXT_LISTS_OVERDUE_NAME     "逾期"
#define TXT_LISTS_OVERDUE_USAGE    "逾期"
#define TXT_LISTS_OVERDUE_HELP     "列出任期已满、既未续聘也未更换的首席质量官"
#define TXT_LISTS_OVERDUE_TITLE    "任期已满未续聘或更换（共 %zu 人）"
#define TXT_LISTS_OVERDUE_NONE     "没有任期已满未续聘或更换的首席质量官。"
#define TXT_LISTS_OVERDUE_LINE     "%zu. 记录号 %lld　%s　%s　%s　任期至 %s（已逾期 %lld 天）"
#define TXT_LISTS_UNTRAINED_NAME   "未培训"
#define TXT_LISTS_UNTRAINED_USAGE  "未培训"
#define TXT_LISTS_UNTRAINED_HELP   "列出未参加任职培训或本年度学时不足的首席质量官"
#define TXT_LISTS_UNTRAINED_TITLE  "培训未达标的首席质量官（%d 年，共 %zu 人）"     /* year, count */
#define TXT_LISTS_UNTRAINED_NONE   "%d 年在任首席质量官的培训均已达标。"
#define TXT_LISTS_UNTRAINED_LINE   "%zu. 记录号 %lld　%s　%s　%s　%s%s%s"   /* ..., region, reasons */
#define TXT_LISTS_NO_INDUCTION     "未参加任职培训"
#define TXT_LISTS_HOURS_SHORT      "本年学时 %.1f/%.1f"                       /* done, required */
#define TXT_LISTS_REASON_SEP       "；"
#define TXT_LISTS_SANCTIONS_NAME   "处理名单"
#define TXT_LISTS_SANCTIONS_USAGE  "处理名单"
#define TXT_LISTS_SANCTIONS_HELP   "列出尚未结案的约谈、警示、除名等处理"
#define TXT_LISTS_SANCTIONS_TITLE  "未结处理（共 %zu 条）"
#define TXT_LISTS_SANCTIONS_NONE   "没有未结的处理。"
#define TXT_LISTS_SANCTIONS_LINE   "%zu. 处理号 %lld　%s　%s　依据：%s　记录号 %lld　%s　%s　%s"
#define TXT_LISTS_VACANT_NAME      "空缺"
#define TXT_LISTS_VACANT_USAGE     "空缺 [类别]"
#define TXT_LISTS_VACANT_HELP      "列出某类企业（默认规上）中没有在任首席质量官的企业"
#define TXT_LISTS_VACANT_TITLE     "%s企业中无在任首席质量官的（共 %zu 家）"        /* category, count */
#define TXT_LISTS_VACANT_NONE      "%s企业均已聘任首席质量官。"
#define TXT_LISTS_VACANT_LINE      "%zu. %s　%s　%s　%s"     /* n, enterprise, credit code, region, history */
#define TXT_LISTS_VACANT_NEVER     "从未备案"
#define TXT_LISTS_VACANT_LAST      "原首席质量官 %s（记录号 %lld）%s 离任"
#define TXT_LISTS_CATEGORY_BAD     "企业类别应为：规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备"
#define TXT_STATS_NAME             "统计"
#define TXT_STATS_USAGE            "统计 [地区代码] [类别] [年份]"
#define TXT_STATS_HELP             "按下级地区统计某类企业（默认规上）的首席质量官聘任率、目标差距与培训情况"
#define TXT_STATS_TITLE            "%s · %s企业首席质量官统计（%d 年）"   /* region, category, year */
#define TXT_STATS_REGION_FMT       "%s（%s）"                             /* name, code */
#define TXT_STATS_ALL_REGIONS      "全国"
#define TXT_STATS_COL_REGION       "地区"
#define TXT_STATS_COL_ENTERPRISES  "企业数"
#define TXT_STATS_COL_APPOINTED    "已聘任"
#define TXT_STATS_COL_RATE         "聘任率"
#define TXT_STATS_COL_TARGET       "目标"
#define TXT_STATS_COL_GAP          "差距"
#define TXT_STATS_COL_TRAINED      "已任职培训"
#define TXT_STATS_COL_NEW          "本年新备案"
#define TXT_STATS_TOTAL            "合计"
#define TXT_STATS_PERCENT          "%.1f%%"
#define TXT_STATS_NO_TARGET        "未设定"
#define TXT_STATS_MET              "已达标"
#define TXT_STATS_NO_DATA          "该地区暂无%s企业。"                   /* category */
#define TXT_STATS_BAD_ARG          "无法识别的参数“%.*s”：应为地区代码、企业类别或年份"
#define TXT_STATS_REPEATED_ARG     "参数“%s”重复：地区、类别、年份各只能指定一次"
#define TXT_STATS_REGION_UNKNOWN   "地区代码 %s 不存在"
#define TXT_STATS_OUT_OF_SCOPE     "地区 %s 不在您的管辖范围内，只能统计 %s 及其下级地区。"
#define TXT_TARGET_NAME            "目标"
#define TXT_TARGET_USAGE           "目标 <地区代码> <类别> <年份> <比例>"
#define TXT_TARGET_HELP            "设定某地区某类企业某年度的首席质量官聘任率目标（比例如 80%、0.8 或 80）"
#define TXT_TARGET_YEAR_FIELD      "年份"
#define TXT_TARGET_RATE_BAD        "比例应为 0 到 100% 之间的数，如 80%、0.8 或 80"
#define TXT_TARGET_DONE            "已设定 %s（%s）%s企业 %d 年聘任率目标：%.1f%%"  /* name, code, category, year, rate */
#define TXT_TARGET_REPLACED        "原目标为 %.1f%%。"

/* filing and terms: 备案, 更换, 续聘, 解聘 (handlers/appoint*.c, handlers/term.c) */
#define TXT_FILE_NAME            "备案"
#define TXT_FILE_USAGE           "备案（换行后逐行填写“字段：值”）"
#define TXT_FILE_HELP            "备案企业首席质量官聘任，回复记录号与绑定码"
#define TXT_REPLACE_NAME         "更换"
#define TXT_REPLACE_USAGE        "更换 <记录号>（换行后逐行填写继任人员“字段：值”）"
#define TXT_REPLACE_HELP         "结束原聘任并备案继任首席质量官"
#define TXT_RENEW_NAME           "续聘"
#define TXT_RENEW_USAGE          "续聘 <记录号> [起始日期]"
#define TXT_RENEW_HELP           "续聘：按本地政策开始新一届任期，记录号不变"
#define TXT_DISMISS_NAME         "解聘"
#define TXT_DISMISS_USAGE        "解聘 <记录号> <原因> [日期]"
#define TXT_DISMISS_HELP         "解聘首席质量官（需二次确认）"
/* form field names: as on the 信息表 first, then other names and English aliases */
#define TXT_APPT_F_NAME          "姓名|name"
#define TXT_APPT_F_GENDER        "性别|gender|sex"
#define TXT_APPT_F_BIRTH         "出生日期|出生年月|birth_date|birth"
#define TXT_APPT_F_EDUCATION     "学历|education"
#define TXT_APPT_F_MAJOR         "专业|所学专业|major"
#define TXT_APPT_F_YEARS         "质量工作年限|从事质量工作年限|quality_years|years"
#define TXT_APPT_F_POSITION      "职务|现任职务|position"
#define TXT_APPT_F_TITLE         "职称|title"
#define TXT_APPT_F_PHONE         "手机|电话|联系电话|手机号码|phone|mobile"
#define TXT_APPT_F_EMAIL         "邮箱|电子邮箱|email|e-mail"
#define TXT_APPT_F_ENTERPRISE    "企业名称|企业|enterprise|company"
#define TXT_APPT_F_CREDIT        "统一社会信用代码|信用代码|credit_code|uscc"
#define TXT_APPT_F_REGION        "所在地区|地区|区划代码|region"
#define TXT_APPT_F_INDUSTRY      "行业代码|行业|industry"
#define TXT_APPT_F_EMPLOYEES     "职工人数|员工人数|employees"
#define TXT_APPT_F_NATURE        "企业性质|性质|nature"
#define TXT_APPT_F_SIZE          "企业规模|规模|size"
#define TXT_APPT_F_PRODUCTS      "主要产品|products"
#define TXT_APPT_F_RESUME        "工作简历|简历|resume"
#define TXT_APPT_F_DOC           "聘任文件号|聘任文件|文件号|doc_no|document"
#define TXT_APPT_F_START         "聘任日期|起始日期|start_date|start"
#define TXT_APPT_F_TERM          "任期|任期年限|term"
#define TXT_APPT_F_REMARKS       "备注|remarks|note"
#define TXT_APPT_FORM_INTRO      "请在命令后换行，逐行填写“字段：值”（全角、半角冒号均可）："
#define TXT_APPT_FIELD_WHY       "%s：%s"                          /* field, what is wrong */
#define TXT_APPT_TOO_LONG        "%s过长：最多 %d 个字"
#define TXT_APPT_ONE_LINE        "%s应写在一行内"
#define TXT_APPT_TERM_YEARS      "任期（年）"
#define TXT_APPT_YEARS_FIELD     "质量工作年限"
#define TXT_APPT_EMPLOYEES_FIELD "职工人数"
#define TXT_APPT_REGION_LEVEL    "所在地区应为 6 位县级行政区划代码"
#define TXT_APPT_REGION_UNKNOWN  "所在地区代码 %s 不存在"
#define TXT_APPT_REGION_SCOPE    "所在地区 %s（%s）不在您的管辖范围（%s）内，不能备案。"
#define TXT_APPT_ENT_SCOPE       "统一社会信用代码 %s 对应的企业登记在您的管辖范围之外，不能备案。"
#define TXT_APPT_BIRTH_FUTURE    "出生日期不能晚于今天"
#define TXT_APPT_HAS_ACTIVE      "该企业已有在任首席质量官（记录号 %lld：%s），不能重复备案。如需更换，请发送“更换 %lld”并换行填写继任人员表单。"
#define TXT_APPT_FILED_TITLE     "备案成功 · 记录号 %lld"
#define TXT_APPT_REPLACED_TITLE  "更换成功 · 新记录号 %lld"
#define TXT_APPT_K_PERSON        "首席质量官"
#define TXT_APPT_K_ENTERPRISE    "企业"
#define TXT_APPT_K_TERM          "任期"
#define TXT_APPT_K_OLD_TERM      "原任期"
#define TXT_APPT_K_NEW_TERM      "新任期"
#define TXT_APPT_TERM_FMT        "%s 至 %s"
#define TXT_APPT_TERM_MONTHS_FMT "%s 至 %s（%d 个月）"
#define TXT_APPT_REPLACED        "原记录号 %lld（%s）已结束，结束日期 %s，原因：更换。"
#define TXT_APPT_PERSON_REUSED   "已关联已有人员档案（姓名、手机号相同），本次填写的信息已更新到该档案。"
#define TXT_APPT_WARNINGS        "任职条件提示（已记录，不影响备案）：%s"
#define TXT_APPT_BINDCODE        "绑定码：%s（有效期至 %s，仅可使用一次）。请转交本人，在与机器人的私聊中发送“绑定 %s”。"
#define TXT_APPT_BINDCODE_GROUP  "为保护绑定码，群聊中不显示。请在私聊中发送“绑定码 %lld”获取。"
#define TXT_APPT_CODE_MISMATCH   "统一社会信用代码与记录号 %lld 的企业（%s）不一致；更换只能在同一企业内进行"
#define TXT_APPT_START_ORDER     "聘任日期应晚于原任期起始日期 %s"
#define TXT_RENEW_TITLE          "续聘成功 · 记录号 %lld"
#define TXT_RENEW_START_FIELD    "起始日期"
#define TXT_RENEW_START_ORDER    "续聘起始日期应晚于当前任期起始日期 %s"
#define TXT_DISMISS_DATE_FIELD   "解聘日期"
#define TXT_DISMISS_REASON_FIELD "原因"
#define TXT_DISMISS_FUTURE       "解聘日期不能晚于今天"
#define TXT_DISMISS_BEFORE_START "解聘日期不能早于任期起始日期 %s"
#define TXT_DISMISS_PREVIEW      "记录号 %lld：%s 将被解聘，任期于 %s 终止，原因：%s。"
#define TXT_DISMISS_DONE         "记录号 %lld：%s 已解聘，任期于 %s 终止，原因：%s。"
/* eligibility warnings at filing (handlers/eligibility.c) */
#define TXT_ELIG_SEP             "；"
#define TXT_ELIG_YEARS           "质量工作年限 %ld 年，少于要求的 %d 年"
#define TXT_ELIG_YEARS_NONE      "未填写质量工作年限（要求不少于 %d 年）"
#define TXT_ELIG_EDU             "学历“%s”未达到%s及以上"
#define TXT_ELIG_EDU_NONE        "未填写学历（要求%s及以上）"
#define TXT_ELIG_TITLE           "职称“%s”未达到%s及以上"
#define TXT_ELIG_TITLE_NONE      "未填写职称（要求%s及以上）"
#define TXT_ELIG_EITHER          "学历、职称均未达到要求（%s及以上学历或%s及以上职称，满足其一即可）"

/* binding: 绑定, 解绑, 绑定码 (handlers/bind.c) */
#define TXT_BIND_NAME            "绑定"
#define TXT_BIND_USAGE           "绑定 <绑定码>"
#define TXT_BIND_HELP            "首席质量官用办事员提供的绑定码绑定本人身份"
#define TXT_BIND_INVALID         "绑定码无效、已过期或已使用，请向办事员索取新的绑定码。"
#define TXT_BIND_STAFF           "您已有%s身份，工作人员身份不能绑定为首席质量官。"   /* role */
#define TXT_BIND_GROUP           "为保护绑定码，请在与机器人的私聊中发送“绑定 <绑定码>”。"
#define TXT_BIND_DONE            "绑定成功：您已绑定为首席质量官（%s）。发送“帮助”查看可用命令。"
#define TXT_BIND_LOCKED          "绑定码错误次数过多，您的绑定已暂停至 %s，请届时再试，或向办事员核实绑定码。"   /* time */
#define TXT_BIND_PAUSED          "近期绑定码错误次数过多，绑定功能已暂停至 %s，请稍后再试。"   /* time */
#define TXT_BIND_PAUSE_TITLE     "绑定功能已暂停"
#define TXT_BIND_PAUSE_COUNT     "过去一小时内绑定码错误 %d 次，疑有人猜测绑定码。"
#define TXT_BIND_PAUSE_UNTIL     "绑定功能已对所有用户暂停至 %s，届时自动恢复。"
#define TXT_BIND_PAUSE_HINT      "每次失败的发送人已记入服务日志（bind: code refused），请核查。"
#define TXT_UNBIND_NAME          "解绑"
#define TXT_UNBIND_USAGE         "解绑"
#define TXT_UNBIND_HELP          "解除本人首席质量官身份绑定"
#define TXT_UNBIND_DONE          "已解除绑定，您现在是访客。如需重新绑定，请向办事员索取新的绑定码。"
#define TXT_UNBIND_NONE          "您没有已绑定的首席质量官身份。"
#define TXT_BINDCODE_NAME        "绑定码"
#define TXT_BINDCODE_USAGE       "绑定码 <记录号>"
#define TXT_BINDCODE_HELP        "为记录中的首席质量官签发新绑定码（旧码作废）"
#define TXT_BINDCODE_TITLE       "记录号 %lld · %s 的绑定码"
#define TXT_BINDCODE_GROUP       "为保护绑定码，请在与机器人的私聊中发送“绑定码 %s”。"
#define TXT_BINDCODE_REVOKED     "此前签发且未使用的绑定码已作废。"

/* cqoctl, the administrator's tool (h11): import, export, backup, administration */
/* column names of import and export files: the header exports write comes
 * first, then other names and English aliases */
#define TXT_COL_RECORD           "记录号|record_id|record"
#define TXT_COL_REGION           TXT_APPT_F_REGION "|地区代码|region_code"
#define TXT_COL_REGION_NAME      "地区名称|region_name"
#define TXT_COL_CONTACT_NAME     "联系人|contact_name|contact"
#define TXT_COL_CONTACT_PHONE    "联系电话|contact_phone"
#define TXT_COL_CATEGORY         "类别|标签|企业类别|category|categories|tags"
#define TXT_COL_TAG_ABOVE        "规上|规模以上|above_scale"
#define TXT_COL_TAG_CHAIN        "链主|chain_leader"
#define TXT_COL_TAG_BRAND        "好品|好品山东|brand"
#define TXT_COL_TAG_AWARD        "质量奖|quality_award"
#define TXT_COL_TAG_SPECIAL      "专精特新|specialized"
#define TXT_COL_TAG_BENCHMARK    "标杆|质量标杆|benchmark"
#define TXT_COL_TAG_FOOD         "食品|food"
#define TXT_COL_TAG_DRUG         "药品|drug"
#define TXT_COL_TAG_EQUIPMENT    "特种设备|special_equipment"
#define TXT_COL_TERM_END         "任期届满日期|任期届满|任期至|term_end"
#define TXT_COL_STATUS           "状态|status"
#define TXT_COL_ENDED_ON         "终止日期|离任日期|ended_on"
#define TXT_COL_END_REASON       "终止原因|离任原因|end_reason"
#define TXT_COL_TRAIN_KIND       "培训类型|类型|kind|type"
#define TXT_COL_TRAIN_DATE       "培训日期|日期|date"
#define TXT_COL_HOURS            "学时|hours"
#define TXT_COL_CERTIFICATE      "证书号|结业证书号|certificate_no|certificate"
#define TXT_COL_INSTITUTION      "培训机构|机构|institution"
#define TXT_COL_LEVEL            "级别|level"
#define TXT_COL_TIER             "层次|tier"
#define TXT_COL_SANCTION_ID      "处理号|sanction_id"
#define TXT_COL_SANCTION_KIND    "处理类型|类型|kind|type"
#define TXT_COL_GROUND           "依据|处理依据|ground"
#define TXT_COL_REASON           "事由|事由说明|reason"
#define TXT_COL_ISSUED_ON        "处理日期|日期|issued_on|date"
#define TXT_COL_SCHEDULED_AT     "约谈时间|scheduled_at"
#define TXT_COL_PLACE            "约谈地点|地点|place"
#define TXT_COL_RECTIFY_BY       "整改期限|rectify_by"
#define TXT_COL_ERRORS           "错误原因|错误|errors"
/* what is wrong with one cell of an import file */
#define TXT_IMP_REQUIRED         "必填，不能为空"
#define TXT_IMP_ONE_LINE         "应写在一行内"
#define TXT_IMP_TOO_LONG         "过长：最多 %d 个字"
#define TXT_IMP_TAG_BAD          "“%s”不是企业类别：应为 规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备"
#define TXT_IMP_YES_NO           "应填 是 或 否（也可填 1 或 0）"
#define TXT_IMP_TAG_CONFLICT     "与“类别”列矛盾：类别中已写明该类"
#define TXT_IMP_STATUS_BAD       "状态应为 在任、任期结束、已解聘 或 已除名"
#define TXT_IMP_ENDED_ACTIVE     "在任的记录不能填写终止日期或终止原因"
#define TXT_IMP_TERM_ORDER       "任期届满日期不能早于聘任日期"
#define TXT_IMP_ENDED_ORDER      "终止日期不能早于聘任日期"
#define TXT_IMP_SAN_KIND_BAD     "处理类型应为 约谈、警示、除名、黑名单 或 建议解聘"
#define TXT_IMP_GROUND_BAD       "处理依据应为 违法违规、知情不报、拖延缓报、虚假报告、未完成继续教育、重大质量事故 或 其他"
#define TXT_IMP_SAN_STATUS_BAD   "状态应为 未结、已结 或 已撤销"
#define TXT_IMP_SUMMONS_ONLY     "只有约谈才填写约谈时间和约谈地点"
#define TXT_IMP_ISSUED_FUTURE    "处理日期不能晚于今天"
#define TXT_IMP_DUP_ENTERPRISE   "与第 %u 行是同一企业（统一社会信用代码相同）"
#define TXT_IMP_DUP_CQO          "与第 %u 行是同一企业的同一首席质量官"
#define TXT_IMP_DUP_TRAINING     "与第 %u 行是同一人同一天的同类培训"
#define TXT_IMP_DUP_SANCTION     "与第 %u 行是同一人同一天的同类处理"
#define TXT_IMP_DIFF_ENTERPRISE  "与第 %u 行是同一企业，但企业信息不一致"
#define TXT_IMP_DIFF_PERSON      "与第 %u 行是同一人（姓名、手机相同），但人员信息不一致"
#define TXT_IMP_TWO_ACTIVE       "与第 %u 行都是该企业在任的首席质量官"
#define TXT_IMP_ACTIVE_EXISTS    "该企业已有在任首席质量官（记录号 %lld：%s）；请先在文件或聊天中结束其任期"
#define TXT_IMP_NO_CQO           "该企业没有名为“%s”的首席质量官备案记录"
#define TXT_IMP_REFUSED          "数据库拒绝了这一行的值"
#define TXT_IMP_MISSING_COL      "缺少必需的列“%s”"
#define TXT_IMP_DUP_COL          "列“%s”和列“%s”对应同一项内容"
#define TXT_IMP_SAN_OPEN         "未结"
#define TXT_IMP_SAN_CLOSED       "已结"
#define TXT_IMP_SAN_REVOKED      "已撤销"
/* cqoctl: usage (shown by --help) and messages */
#define TXT_CTL_USAGE \
	"用法：cqoctl [-c 配置文件] [-d 数据库] [--data-dir 目录] [-v] 命令 [参数]\n" \
	"与运行中的 cqod 共用同一数据库（WAL 模式），可在守护进程运行时使用。\n" \
	"-d 代替配置中的数据库，--data-dir 代替数据目录，-v 显示数据库错误的详情。\n" \
	"命令（“cqoctl 命令 --help”查看详细用法）：\n"
#define TXT_CTL_USAGE_LINE       "  %-10s %s\n"
#define TXT_CTL_ERR              "cqoctl: %s\n"
#define TXT_CTL_ERR_CMD          "cqoctl %s: %s\n"
#define TXT_CTL_SEE_HELP         "%s（运行“cqoctl %s --help”查看用法）"
#define TXT_CTL_UNKNOWN_CMD      "未知命令“%s”（运行“cqoctl --help”查看命令列表）"
#define TXT_CTL_NO_CMD           "缺少命令（运行“cqoctl --help”查看命令列表）"
#define TXT_CTL_BAD_OPTION       "无法识别的选项或缺少选项的值"
#define TXT_CTL_ARGS             "参数个数不对"
#define TXT_CTL_OPEN_DB          "无法打开数据库 %s：%s"
#define TXT_CTL_CONFIG           "配置文件有错误：%s"
#define TXT_CTL_FAKE_NOW         "环境变量 CQOD_FAKE_NOW 不是有效的时间"
#define TXT_CTL_PLATFORMS        "程序内置的平台表有误，请联系开发人员"
#define TXT_CTL_STORE            "数据库操作失败：%s"
#define TXT_CTL_STORE_EIO        "数据库操作失败：数据库可能正被长时间占用或已损坏（加 -v 查看详情）"
#define TXT_CTL_FILE             "%s：%s"
#define TXT_CTL_WRITE            "写入 %s 失败：%s"
#define TXT_CTL_STDOUT           "标准输出"
#define TXT_CTL_BAD_REGION       "地区代码 %s 不存在"
#define TXT_CTL_BAD_YEAR         "年份应为 2000 到 2200 之间的整数"
#define TXT_CTL_BAD_CATEGORY     "企业类别应为：规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备"
#define TXT_CTL_BAD_FORMAT       "格式应为 csv 或 json"
#define TXT_CTL_BAD_NUMBER       "%s 应为 %ld 到 %ld 之间的整数"
#define TXT_CTL_HELP_DEMO        "创建演示数据（虚构的人员和企业）"
#define TXT_CTL_USAGE_DEMO       "用法：cqoctl demo\n在空数据库中载入地区代码和虚构的演示数据。\n"
#define TXT_CTL_HELP_SEED        "生成 N 条虚构的首席质量官记录（基准测试用）"
#define TXT_CTL_USAGE_SEED       "用法：cqoctl seed N\n生成 N（1 到 10000000）条虚构的首席质量官记录，用于基准测试。\n"
#define TXT_CTL_REGIONS_LOADED      "已载入 %d 个地区代码\n"
#define TXT_CTL_DEMO_EXISTS      "数据库中已有数据，未添加演示数据\n"
#define TXT_CTL_DEMO_DONE        "已载入演示数据（人员和企业均为虚构）\n"
#define TXT_CTL_SEED_DONE        "已生成 %ld 条虚构的首席质量官记录，分 %zu 批提交（每批最长 %llu 毫秒）\n"
#define TXT_CTL_SEED_STEP        "生成"
#define TXT_CTL_SEED_FAILED      "%s；此前已分 %zu 批提交 %zu 条完整的记录"   /* why, chunks, CQOs */
/* cqoctl import */
#define TXT_CTL_HELP_IMPORT      "导入企业、首席质量官、培训或处理的 CSV 文件"
#define TXT_CTL_USAGE_IMPORT \
	"用法：cqoctl import enterprises|cqos|trainings|sanctions 文件.csv [选项]\n" \
	"导入 Excel 另存的 CSV 文件（UTF-8，可带 BOM；或 GBK/GB18030，自动识别）。\n" \
	"列名同《企业首席质量官信息表》（如 姓名、统一社会信用代码、所在地区、聘任日期），也可用英文别名；\n" \
	"企业类别可写在“类别”列（如“规上;专精特新”），或每类一列填 是/否。\n" \
	"按统一社会信用代码（企业）、企业内姓名（首席质量官）更新已有记录，重复导入同一文件不会产生变化。\n" \
	"默认全部行无误才导入；否则逐行报告错误（行号、列、值、原因），不做任何更改。\n" \
	"检查全部通过后分批写入（每批约 0.1 秒），不会长时间阻塞运行中的 cqod；\n" \
	"导入中途中断（如断电）时，重新运行同一命令即可完成，已写入的行不会重复。\n" \
	"  --encoding utf-8|gbk|gb18030  指定文件编码（默认自动识别）\n" \
	"  --tag 类别                   文件中所有企业都属于该类别（可多次使用）\n" \
	"  --skip-bad                   只导入无误的行，有误的行写入拒收文件\n" \
	"  --reject 文件                拒收文件（默认：原文件名.rejects.csv）\n" \
	"  --dry-run                    在数据库的临时副本上试运行：检查、统计，不写入数据库\n"
#define TXT_CTL_IMP_KIND         "导入类型应为 enterprises、cqos、trainings 或 sanctions"
#define TXT_CTL_IMP_ENCODING     "编码应为 utf-8、gbk 或 gb18030"
#define TXT_CTL_IMP_TAG          "“%s”不是企业类别"
#define TXT_CTL_IMP_EMPTY        "%s：文件为空或没有表头"
#define TXT_CTL_IMP_NUL          "%s：文件含有 NUL 字节，不是文本格式的 CSV（请在 Excel 中另存为“CSV UTF-8”或“CSV”）"
#define TXT_CTL_IMP_UTF16        "%s：文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”或“CSV”"
#define TXT_CTL_IMP_BAD_BYTES    "%s:%u: 含有不是 %s 编码的字节（可用 --encoding 指定编码）"
#define TXT_CTL_IMP_QUOTES       "%s:%u: 引号不配对，或右引号后还有其他字符"
#define TXT_CTL_IMP_UNKNOWN_COLS "%s：已忽略无法识别的列：%s\n"
#define TXT_CTL_IMP_PROBLEM      "%s:%u: %s“%s”：%s\n"     /* file, line, column, value, why */
#define TXT_CTL_IMP_PROBLEM_ROW  "%s:%u: %s\n"              /* file, line, why */
#define TXT_CTL_IMP_READ         "读取 %s：%zu 行，编码 %s\n"
#define TXT_CTL_IMP_REJECTED     "未导入：%zu 行有错误（见上），数据库未做任何更改"
#define TXT_CTL_IMP_SKIPPED      "%zu 行有错误，未导入，已写入 %s\n"
#define TXT_CTL_IMP_STEP         "写入数据库"
#define TXT_CTL_IMP_CHUNKS       "已分 %zu 批提交 %zu 行（每批最长 %llu 毫秒）\n"   /* chunks, rows, ms */
#define TXT_CTL_IMP_LATE \
	"导入已停止：上面这一行在检查之后被数据库拒绝（其间数据库有变化）；此前已分 %zu 批提交 %zu 行，" \
	"改正后重新运行本命令即可完成导入，已写入的行不会重复"
#define TXT_CTL_IMP_PARTIAL \
	"%s；此前已分 %zu 批提交 %zu 行，重新运行本命令即可完成导入，已写入的行不会重复"
#define TXT_CTL_IMP_SUMMARY      "%s：新增 %zu，更新 %zu，无变化 %zu\n"  /* what, created, updated, same */
#define TXT_CTL_IMP_ENTERPRISES  "企业"
#define TXT_CTL_IMP_PEOPLE       "人员"
#define TXT_CTL_IMP_RECORDS      "备案记录"
#define TXT_CTL_IMP_TRAININGS    "培训"
#define TXT_CTL_IMP_SANCTIONS    "处理"
#define TXT_CTL_IMP_DRY_RUN      "试运行：以上更改未写入数据库\n"
#define TXT_CTL_IMP_ROW_SEP      "；"
#define TXT_CTL_IMP_REASON       "%s：%s"                   /* column, why */
#define TXT_CTL_IMP_MORE         "…"                        /* a value cut short */
#define TXT_CTL_IMP_CHECK_STEP   "检查"
#define TXT_CTL_IMP_TAG_KIND     "--tag 只能用于 enterprises 和 cqos"
/* cqoctl export */
#define TXT_CTL_HELP_EXPORT      "导出备案、企业、培训、处理、统计表或活动报名（CSV 或 JSON）"
#define TXT_CTL_USAGE_EXPORT \
	"用法：cqoctl export registry|enterprises|trainings|sanctions|stats|signups [选项]\n" \
	"导出为 UTF-8（带 BOM）的 CSV，Excel 可直接打开，中文不乱码；或导出 JSON。\n" \
	"  registry     首席质量官备案（每条记录一行，列同信息表）\n" \
	"  enterprises  企业及其类别\n" \
	"  trainings    培训记录        sanctions  处理记录\n" \
	"  stats        《企业首席质量官基本情况统计表》：按下级地区和企业类别的企业数、已聘任数、\n" \
	"               聘任率、目标、差距、任职培训与本年新备案，与聊天命令“统计”一致\n" \
	"  signups      活动报名名单\n" \
	"registry、enterprises、trainings、sanctions 的文件可用 cqoctl import 原样导入。\n" \
	"  -o, --output 文件    写入文件（默认标准输出）\n" \
	"  --format csv|json    输出格式（默认 csv）\n" \
	"  --region 地区代码    只导出该地区及其下级；stats 的统计范围（默认全国）\n" \
	"  --year 年份          stats：统计年份（默认今年）\n" \
	"  --category 类别      stats：只统计该类企业（默认全部类别）\n" \
	"  --event 活动编号     signups：只导出该活动\n"
#define TXT_CTL_EXP_WHAT         "导出内容应为 registry、enterprises、trainings、sanctions、stats 或 signups"
#define TXT_CTL_SIGNUP_EVENT_ID  "活动编号|event_id"
#define TXT_CTL_SIGNUP_EVENT     "活动名称|event_title"
#define TXT_CTL_SIGNUP_KIND      "活动类型|event_kind"
#define TXT_CTL_SIGNUP_STARTS    "开始时间|starts_at"
#define TXT_CTL_SIGNUP_ALLIANCE  "联盟|alliance"
#define TXT_CTL_SIGNUP_POSITION  "候补序号|position"
#define TXT_CTL_SIGNUP_AT        "报名时间|signed_up_at"
#define TXT_CTL_SIGNUP_CONFIRMED "已报名"
#define TXT_CTL_SIGNUP_WAITLIST  "候补"
#define TXT_CTL_SIGNUP_CANCELLED "已取消"
#define TXT_CTL_STATS_CODE       "地区代码"
#define TXT_CTL_STATS_CATEGORY   "类别"
#define TXT_CTL_STATS_YEAR       "年份"
/* cqoctl backup, check */
#define TXT_CTL_HELP_BACKUP      "在 cqod 运行时在线备份数据库"
#define TXT_CTL_USAGE_BACKUP \
	"用法：cqoctl backup 文件\n" \
	"用 SQLite 在线备份把数据库复制到文件，cqod 可继续运行和写入；备份是开始时刻的完整数据库。\n" \
	"先写入“文件.part”，完成并同步到磁盘后再改名为“文件”（已有的同名文件被替换）。\n" \
	"恢复：停止 cqod；把备份文件复制为配置中的数据库文件，并删除旧的“数据库-wal”“数据库-shm”文件；\n" \
	"再启动 cqod。恢复前可用“cqoctl -d 备份文件 check”检查备份。\n"
#define TXT_CTL_BACKUP_STEP      "备份"
#define TXT_CTL_BACKUP_FAILED    "备份到 %s 失败：%s"
#define TXT_CTL_BACKUP_DONE      "已备份到 %s（%zu 页）\n"
#define TXT_CTL_HELP_CHECK       "检查数据库完整性与外键，并列出登记数量"
#define TXT_CTL_USAGE_CHECK \
	"用法：cqoctl check\n" \
	"运行 SQLite 的完整性检查（integrity_check）和外键检查（foreign_key_check），并列出登记数量。\n" \
	"发现问题时退出码为 1。\n"
#define TXT_CTL_CHECK_INTEGRITY  "完整性检查（integrity_check）：%s\n"
#define TXT_CTL_CHECK_FKEYS      "外键检查（foreign_key_check）：%s\n"
#define TXT_CTL_CHECK_OK         "正常"
#define TXT_CTL_CHECK_BAD        "有问题"
#define TXT_CTL_CHECK_COUNTS_1   "企业 %lld 家（已分类 %lld 家），人员 %lld 人，地区代码 %lld 个\n"
#define TXT_CTL_CHECK_COUNTS_2   "备案记录 %lld 条：在任 %lld，任期结束 %lld，已解聘 %lld，已除名 %lld\n"
#define TXT_CTL_CHECK_COUNTS_3   "培训 %lld 条，处理 %lld 条（未结 %lld 条），荣誉 %lld 条\n"
#define TXT_CTL_CHECK_COUNTS_4   "授权用户 %lld 个，联盟 %lld 个，活动 %lld 个，报名 %lld 条\n"
#define TXT_CTL_CHECK_COUNTS_5   "日历 %lld 天，审计记录 %lld 条\n"
#define TXT_CTL_CHECK_INTEGRITY_FAIL "完整性检查发现 %d 处问题，第一处：%s"
#define TXT_CTL_CHECK_FKEYS_FAIL "外键检查发现 %d 处违反，第一处在表 %s"
/* cqoctl grant, revoke, roles */
#define TXT_CTL_HELP_GRANT       "授予角色（与聊天命令“授权”相同，用于设置第一位管理员）"
#define TXT_CTL_USAGE_GRANT \
	"用法：cqoctl grant 平台[:实例] 用户ID 角色 [范围]\n" \
	"角色：admin（管理员，不带范围）；clerk 地区代码（办事员）；organizer 联盟名称或编号（组织者）；\n" \
	"cqo 人员编号（首席质量官）。角色也可写中文（管理员、办事员、组织者、首席质量官）。\n" \
	"平台:实例 为配置文件中的实例，如 wecom:office；该平台只配置了一个实例时可只写平台名。\n" \
	"用户ID 为该用户在此实例所属组织中的标识（企业微信 UserID、钉钉 userid、飞书 open_id），\n" \
	"可让其向机器人发送“我是谁”查看。另一个企业或组织中的同名用户ID 是另一个人。写入审计记录。\n" \
	"例：cqoctl grant wecom:office zhangsan admin；cqoctl grant generic u1 clerk 371302\n"
#define TXT_CTL_GRANT_PERSON     "首席质量官需要人员编号（正整数）"
#define TXT_CTL_GRANT_NO_PERSON  "人员编号 %ld 不存在"
#define TXT_CTL_UNKNOWN_PLATFORM "未知平台“%s”：应为 wecom、dingtalk、feishu、generic 或 console"
#define TXT_CTL_UNKNOWN_INSTANCE "配置中没有实例 %s；已配置的实例：%s"          /* spec, list */
#define TXT_CTL_NO_INSTANCE      "配置中没有实例 %s；请先在配置文件中添加 [%s:名称] 一节"   /* spec, platform */
#define TXT_CTL_AMBIGUOUS_INSTANCE "%s 配置了多个实例，请写明 平台:实例：%s"      /* platform, list */
#define TXT_CTL_HELP_REVOKE      "撤销用户的角色（与聊天命令“撤销授权”相同）"
#define TXT_CTL_USAGE_REVOKE \
	"用法：cqoctl revoke 平台[:实例] 用户ID\n" \
	"撤销用户的角色，使其成为访客；不能撤销最后一位管理员。平台:实例 的写法同 grant。写入审计记录。\n"
#define TXT_CTL_HELP_ROLES       "列出已授权的用户（与聊天命令“角色”相同）"
#define TXT_CTL_USAGE_ROLES \
	"用法：cqoctl roles [--role 角色] [--scope 地区代码]\n" \
	"列出已授权的用户及其角色、范围和所属组织；--role 只列该角色，--scope 只列管辖范围在该地区内的。\n" \
	"“组织待定”的用户（升级前授权，或所在组织由消息决定的飞书、钉钉实例）在其经该实例发来\n" \
	"第一条消息时确定组织。\n"
/* cqoctl policy */
#define TXT_CTL_HELP_POLICY      "查看或设置地方政策（任期、学时、任职条件、提醒）"
#define TXT_CTL_USAGE_POLICY \
	"用法：cqoctl policy show 地区代码\n" \
	"      cqoctl policy set 地区代码 选项…\n" \
	"show 显示在该地区生效的政策：县没有自己的设置时沿用市的，市沿用省的，都没有时为内置默认值。\n" \
	"set 设置该地区自己的政策，未给出的项沿用当前生效的值；写入审计记录。\n" \
	"  --term-months N             任期月数（1–120，默认 36）\n" \
	"  --annual-hours H            年度培训学时（0–1000，默认 30）\n" \
	"  --min-years N               最少质量工作年限（0–50，默认 3）\n" \
	"  --education 学历|none       最低学历，如 大专、本科\n" \
	"  --title 职称|none           最低职称，如 中级\n" \
	"  --mode all|any              学历与职称均须达到（all），或满足其一（any）\n" \
	"  --appointment-training yes|no  是否要求任职培训\n" \
	"  --remind-days 列表          任期届满前提醒的天数，如 90,30,7,0\n" \
	"  --training-month M          年度学时提醒月份（1–12）\n" \
	"  --bind-code-days N          绑定码有效天数（1–365）\n"
#define TXT_CTL_POL_BUILTIN      "内置默认值"
#define TXT_CTL_POL_TITLE        "地区：%s（%s）\n"
#define TXT_CTL_POL_FROM         "生效设置来自：%s\n"
#define TXT_CTL_POL_TERM         "任期：%d 个月\n"
#define TXT_CTL_POL_HOURS        "年度培训学时：%.1f\n"
#define TXT_CTL_POL_YEARS        "最少质量工作年限：%d 年\n"
#define TXT_CTL_POL_EDUCATION    "最低学历：%s\n"
#define TXT_CTL_POL_TITLE_REQ    "最低职称：%s\n"
#define TXT_CTL_POL_MODE         "学历与职称：%s\n"
#define TXT_CTL_POL_ANY          "满足其一即可"
#define TXT_CTL_POL_ALL          "均须达到"
#define TXT_CTL_POL_TRAINING     "任职培训：%s\n"
#define TXT_CTL_POL_REQUIRED     "要求"
#define TXT_CTL_POL_NONE         "不要求"
#define TXT_CTL_POL_REMIND       "任期届满提醒：届满前 %s 天\n"
#define TXT_CTL_POL_MONTH        "年度学时提醒：每年 %d 月\n"
#define TXT_CTL_POL_BIND         "绑定码有效期：%d 天\n"
#define TXT_CTL_POL_BAD_VALUE    "--%s 的值“%s”无效"
#define TXT_CTL_POL_NOTHING      "请至少给出一项要修改的设置"
#define TXT_CTL_POL_REFUSED      "数据库拒绝了这些设置"
#define TXT_CTL_POL_ACTION       "应为 policy show 地区代码 或 policy set 地区代码 选项…"
/* cqoctl target */
#define TXT_CTL_HELP_TARGET      "设置或列出聘任率目标（按地区、类别、年份）"
#define TXT_CTL_USAGE_TARGET \
	"用法：cqoctl target set 地区代码 类别 年份 比例\n" \
	"      cqoctl target list [--region 地区代码] [--year 年份] [--category 类别]\n" \
	"set 与聊天命令“目标”相同：比例写作 80%、0.8 或 80；写入审计记录。\n" \
	"list 列出已设定的目标；--region 只列该地区及其下级。\n"
#define TXT_CTL_TARGET_LINE      "%s（%s）%s企业 %d 年：%.1f%%\n"
#define TXT_CTL_TARGET_NONE      "没有设定聘任率目标\n"
#define TXT_CTL_TARGET_ACTION    "应为 target set 或 target list"
/* cqoctl calendar */
#define TXT_CTL_HELP_CALENDAR    "载入节假日与调休上班日历"
#define TXT_CTL_USAGE_CALENDAR \
	"用法：cqoctl calendar load 文件\n" \
	"载入国务院公布的节假日与调休上班日（格式同 data/cn-workcalendar.csv：date,kind,name；\n" \
	"kind 为 holiday（休）或 workday（班））。全部行无误才载入；已有的日期以文件为准。\n"
#define TXT_CTL_CAL_DATE         "date|日期"
#define TXT_CTL_CAL_KIND         "kind|类型"
#define TXT_CTL_CAL_NAME         "name|名称"
#define TXT_CTL_CAL_HEADER       "%s：表头应有 date 和 kind 列（name 列可选）"
#define TXT_CTL_CAL_BAD_DATE     "日期“%s”：%s"
#define TXT_CTL_CAL_BAD_KIND     "类型“%s”应为 holiday（休）或 workday（班）"
#define TXT_CTL_CAL_BAD_NAME     "名称过长：最多 %d 个字"
#define TXT_CTL_CAL_DONE         "日历：新增 %zu 天，更新 %zu 天，无变化 %zu 天（节假日 %zu 天，调休上班 %zu 天）\n"

/* the outbox (h13): 队列, pushes shown at the console, dead-letter notices, cqoctl outbox */
#define TXT_CONSOLE_PUSH         "【推送 → %s】"
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
#define TXT_CTL_OB_BAD_DEST \
	"目的地“%s”无效：应为“平台|实例|类型|0|对象”（平台 wecom、dingtalk 或 feishu，" \
	"类型 user、chat 或 robot）"
#define TXT_CTL_OB_NEED_SEND     "send 需要 --dest 和 --text"
#define TXT_CTL_OB_COUNTED       "%s（%ld/%ld）"
#define TXT_CTL_OB_QUEUED        "已加入发送队列：%ld 条\n"
#define TXT_CTL_OB_ACTION        "动作应为 retry、drop 或 send；不带动作时列出消息"

/* alliances (h15): 联盟, 订阅, 退订, 活动, 报名, 取消报名, 报名名单, 通知; the
 * messages they push to groups and members (handlers/alliance*.c, subscribe.c,
 * event*.c, signup.c, notice.c, alliance_msg.c) */
#define TXT_AL_NAME              "联盟"
#define TXT_AL_USAGE             "联盟 列表|新建|成员|群|私信|年度 [参数]"
#define TXT_AL_HELP              "首席质量官联盟：新建、成员、订阅的群、私信通知、年度活动"
#define TXT_AL_SUBS \
	"联盟 列表\n" \
	"联盟 新建 <名称> [地区代码]（管理员）\n" \
	"联盟 成员 [联盟]｜联盟 成员 加入|移出 <记录号> [联盟]（组织者、管理员）\n" \
	"联盟 群 [联盟]（组织者、管理员）\n" \
	"联盟 私信 开启|关闭 [联盟]（首席质量官：是否私聊接收联盟通知）\n" \
	"联盟 年度 <联盟> [质量月|首席质量官日 <月-日> <正文>｜<类型> 删除]（管理员）"
#define TXT_AL_SUB_LIST          "列表"
#define TXT_AL_SUB_CREATE        "新建"
#define TXT_AL_SUB_MEMBERS       "成员"
#define TXT_AL_SUB_GROUPS        "群"
#define TXT_AL_SUB_PRIVATE       "私信"
#define TXT_AL_SUB_YEARLY        "年度"
#define TXT_AL_SUB_DENIED        "您没有权限使用“联盟 %s”。"
#define TXT_AL_WORD_JOIN         "加入"
#define TXT_AL_WORD_LEAVE        "移出"
#define TXT_AL_WORD_ON           "开启"
#define TXT_AL_WORD_OFF          "关闭"
#define TXT_AL_WORD_DELETE       "删除"
#define TXT_AL_ON                "开启"
#define TXT_AL_OFF               "关闭"
#define TXT_AL_NONE              "没有名称或编号为“%s”的联盟。"
#define TXT_AL_NAME_IT           "请写明联盟名称或编号。"
#define TXT_AL_OWN_GONE          "您所属的联盟已不存在，请联系管理员。"
#define TXT_AL_NOT_YOURS         "您是其他联盟的组织者，不能管理“%s”。"
#define TXT_AL_NAME_LONG         "联盟名称过长：最多 %d 个字"
#define TXT_AL_NAME_DIGITS       "联盟名称不能全是数字（数字用作联盟编号）"
#define TXT_AL_EXISTS            "已有名为“%s”的联盟。"
#define TXT_AL_NO_REGION         "地区代码 %s 不存在。"
#define TXT_AL_CREATED           "已新建联盟“%s” · 编号 %lld"
#define TXT_AL_K_REGION          "地区"
#define TXT_AL_CREATED_NEXT      "下一步：发送“授权 <用户> 组织者 %lld”指定组织者；组织者在群里发送“订阅 %lld”。"
#define TXT_AL_LIST_TITLE        "联盟 %zu 个"
#define TXT_AL_LIST_LINE         "%lld. %s　%s　成员 %zu 人　群 %zu 个"   /* id, name, region, members, groups */
#define TXT_AL_LIST_LINE_MEMBER  "%lld. %s　私信通知：%s"
#define TXT_AL_LIST_NONE         "没有可查看的联盟。"
#define TXT_AL_LIST_NONE_MEMBER  "您还不是任何联盟的成员。"
#define TXT_AL_NO_REGION_TEXT    "不限地区"
#define TXT_AL_GROUPS_TITLE      "“%s”的群 %zu 个"
#define TXT_AL_GROUPS_LINE       "%zu. %s"
#define TXT_AL_GROUPS_NONE       "“%s”还没有订阅的群。组织者在群里发送“订阅 %lld”即可。"
#define TXT_AL_PRIVATE_ON_ONE    "已开启：“%s”的通知将私聊发给您。"
#define TXT_AL_PRIVATE_OFF_ONE   "已关闭：“%s”的通知不再私聊发给您（群里照常可见；已报名活动的变更仍会通知您）。"
#define TXT_AL_PRIVATE_ON_ALL    "已开启：您所在联盟的通知将私聊发给您。"
#define TXT_AL_PRIVATE_OFF_ALL   "已关闭：您所在联盟的通知不再私聊发给您（群里照常可见；已报名活动的变更仍会通知您）。"
#define TXT_AL_PRIVATE_NOT_MEMBER "您不是“%s”的成员。"
#define TXT_AL_WECOM_GROUP       "企业微信群"
#define TXT_AL_WECOM_ROBOT       "企业微信群机器人"
#define TXT_AL_DINGTALK_GROUP    "钉钉群"
#define TXT_AL_DINGTALK_ROBOT    "钉钉群机器人"
#define TXT_AL_FEISHU_GROUP      "飞书群"
#define TXT_AL_FEISHU_ROBOT      "飞书群机器人"
#define TXT_AL_GROUP_LABELLED    "%s（%s）"          /* label, platform word */
#define TXT_AL_GROUP_ROBOT       "%s %s"             /* platform word, robot instance */
#define TXT_AL_GROUP_CHAT        "%s %s（%s）"       /* platform word, chat id, instance */
#define TXT_AL_MEMBERS_TITLE     "“%s”成员 %zu 人"
#define TXT_AL_MEMBERS_LINE      "记录号 %lld　%s　%s"     /* record, person, enterprise */
#define TXT_AL_MEMBERS_NONE      "“%s”还没有成员。发送“联盟 成员 加入 <记录号>”添加。"
#define TXT_AL_JOIN_BARRED       "记录号 %lld 的首席质量官已被除名或列入黑名单，不能加入联盟。"
#define TXT_AL_JOIN_INACTIVE     "记录号 %lld 当前状态为“%s”，只有在任的首席质量官可以加入联盟。"
#define TXT_AL_JOIN_REGION       "记录号 %lld 的企业不在“%s”的地区范围内。"
#define TXT_AL_ALREADY_MEMBER    "记录号 %lld（%s）已是“%s”的成员。"
#define TXT_AL_NOT_MEMBER        "记录号 %lld（%s）不是“%s”的成员。"
#define TXT_AL_JOINED            "已将 %s（%s，记录号 %lld）加入“%s”。"
#define TXT_AL_LEFT              "已将 %s（%s，记录号 %lld）移出“%s”。"
#define TXT_CP_TITLE             "“%s”年度活动"
#define TXT_CP_LINE              "每年 %s：%s"            /* month-day, body */
#define TXT_CP_NONE              "“%s”还没有设置年度活动。"
#define TXT_CP_BAD_KIND          "年度活动类型应为 质量月 或 首席质量官日"
#define TXT_CP_BAD_DAY           "日期应为“月-日”，如 09-01 或 9月1日"
#define TXT_CP_TOO_LONG          "正文过长：最多 %d 个字"
#define TXT_CP_SET               "已设置“%s”的年度活动：%s，每年 %s 发送到联盟的群和接收私信通知的成员。"
#define TXT_CP_NOT_SET           "“%s”没有设置%s。"
#define TXT_CP_DELETED           "已删除“%s”的年度活动：%s。"
#define TXT_SUB_NAME             "订阅"
#define TXT_SUB_USAGE            "订阅 <联盟> [名称]（在群里发送）｜订阅 <联盟> 机器人 <平台>:<实例> [名称]｜订阅 <联盟> 群 <平台>:<实例> <群ID> [名称]"
#define TXT_SUB_HELP             "让本群（或群机器人）接收联盟的活动与通知"
#define TXT_UNSUB_NAME           "退订"
#define TXT_UNSUB_USAGE          "退订 <联盟>（在群里发送）｜退订 <联盟> 机器人 <平台>:<实例>｜退订 <联盟> 群 <平台>:<实例> <群ID>"
#define TXT_UNSUB_HELP           "本群（或群机器人）不再接收联盟的活动与通知"
#define TXT_SUB_WORD_ROBOT       "机器人"
#define TXT_SUB_WORD_CHAT        "群"
#define TXT_SUB_IN_GROUP         "请在要订阅（或退订）的群里发送本命令；群机器人和按群ID订阅请管理员使用“订阅 <联盟> 机器人 …”或“订阅 <联盟> 群 …”。"
#define TXT_SUB_NO_PUSH          "本平台的群不支持推送，请在企业微信、钉钉或飞书的群里订阅，或由管理员订阅群机器人。"
#define TXT_SUB_ADMIN_ONLY       "群机器人和按群ID订阅由管理员操作。"
#define TXT_SUB_NO_ROBOT         "没有配置群机器人“%s”：应为 wecom、dingtalk 或 feishu 加冒号和配置文件中机器人的名称，如 wecom:alerts（对应 [wecom_robot:alerts]）"
#define TXT_SUB_NO_INSTANCE      "没有配置应用“%s”：应为 wecom、dingtalk 或 feishu 加冒号和配置文件中的实例名称，如 wecom:office"
#define TXT_SUB_CHAT_LONG        "群ID过长"
#define TXT_SUB_LABEL_LONG       "名称过长：最多 %d 个字"
#define TXT_SUB_DONE             "已订阅：%s 将收到“%s”的活动与通知。"
#define TXT_UNSUB_DONE           "已退订：%s 不再收到“%s”的活动与通知。"
#define TXT_EV_F_ALLIANCE        "联盟|alliance"
#define TXT_EV_F_KIND            "类型|活动类型|type|kind"
#define TXT_EV_F_TITLE           "标题|主题|title"
#define TXT_EV_F_START           "开始时间|开始|时间|start"
#define TXT_EV_F_END             "结束时间|结束|end"
#define TXT_EV_F_PLACE           "地点|place|location"
#define TXT_EV_F_LINK            "线上链接|链接|会议链接|link|url"
#define TXT_EV_F_CAPACITY        "人数上限|名额|capacity"
#define TXT_EV_F_DEADLINE        "报名截止|报名截止时间|deadline"
#define TXT_EV_F_DESCRIPTION     "简介|说明|description"
#define TXT_EV_F_OPEN            "开放报名|open"
#define TXT_EV_K_KIND            "类型"
#define TXT_EV_K_TITLE           "标题"
#define TXT_EV_K_START           "开始时间"
#define TXT_EV_K_END             "结束时间"
#define TXT_EV_K_PLACE           "地点"
#define TXT_EV_K_LINK            "线上链接"
#define TXT_EV_K_CAPACITY        "人数上限"
#define TXT_EV_K_DEADLINE        "报名截止"
#define TXT_EV_K_DESCRIPTION     "简介"
#define TXT_EV_K_OPEN            "开放报名"
#define TXT_EV_K_ALLIANCE        "联盟"
#define TXT_EV_K_TIME            "时间"
#define TXT_EV_K_SIGNUPS         "报名"
#define TXT_EV_WHY               "%s：%s"                    /* field, what is wrong */
#define TXT_EV_ONE_LINE          "应写在一行内"
#define TXT_EV_TOO_LONG          "过长，最多 %zu 个字"
#define TXT_EV_BAD_KIND          "应为 沙龙、论坛、围炉会、大会、现场会、研讨会、首席质量官日 或 质量月"
#define TXT_EV_BAD_DEADLINE      "格式不正确，应如 2026-11-21 18:00，或只写日期（当天 23:59 截止）"
#define TXT_EV_PAST              "不能早于现在"
#define TXT_EV_BAD_LINK          "应为 http:// 或 https:// 开头的网址"
#define TXT_EV_UNLIMITED         "不限"
#define TXT_EV_YES               "是"
#define TXT_EV_NO                "否"
#define TXT_EV_BAD_OPEN          "应为 是 或 否"
#define TXT_EV_NO_PLACE          "请填写地点或线上链接（可都填）"
#define TXT_EV_END_BEFORE        "结束时间不能早于开始时间"
#define TXT_EV_DEADLINE_AFTER    "报名截止不能晚于开始时间"
#define TXT_EV_NO_MOVE           "活动不能改到其他联盟；如需要，请取消后在该联盟重新发布"
#define TXT_EV_NOTHING           "没有要修改的字段"
#define TXT_EV_FORM_INTRO        "请在命令后换行，逐行填写“字段：值”（全角、半角冒号均可）："
#define TXT_EV_FORM_CHANGE_INTRO "请在命令后换行，逐行填写要修改的“字段：值”；写“无”可清空选填项："
#define TXT_EV_FORM_EXAMPLE      "例：类型：沙龙 / 标题：质量提升交流 / 开始时间：2026-12-01 14:00 / 地点：会展中心 / 人数上限：40 / 报名截止：2026-11-28"
#define TXT_BC_WHEN_RANGE        "%s 至 %s"
#define TXT_BC_PEOPLE            "%lld 人"
#define TXT_BC_OPEN_ALL          "所有已绑定的首席质量官均可报名"
#define TXT_BC_OPEN_MEMBERS      "仅限联盟成员"
#define TXT_BC_EVENT_TITLE       "【%s】%s"                                 /* kind, title */
#define TXT_BC_UPDATE_TITLE      "【活动变更】【%s】%s"
#define TXT_BC_UPDATE_LINE       "以下活动信息有变更：%s。"
#define TXT_BC_CANCEL_TITLE      "【活动取消】【%s】%s"
#define TXT_BC_CANCEL_LINE       "%s原定于 %s 举行的活动（编号 %lld）已取消，已报名的无需前往。"
#define TXT_BC_SIGNUP_HINT       "报名请私聊发送“报名 %lld”，取消请发送“取消报名 %lld”。"
#define TXT_BC_PROMOTED_TITLE    "【报名成功】【%s】%s"
#define TXT_BC_PROMOTED_LINE     "有人取消了报名，您已从候补转为正式报名（活动编号 %lld）。如不能参加，请发送“取消报名”加编号。"
#define TXT_BC_NOTICE_TITLE      "【联盟通知】%s"
#define TXT_BC_CAMPAIGN_TITLE    "【%s】%s"                                 /* kind, alliance */
#define TXT_BC_KIND_PUBLISH      "发布"
#define TXT_BC_KIND_UPDATE       "变更"
#define TXT_BC_KIND_CANCEL       "取消"
#define TXT_BC_KIND_NOTICE       "通知"
#define TXT_BC_KIND_CAMPAIGN     "年度活动"
#define TXT_BC_WHAT_EVENT        "活动 %lld（%s）"
#define TXT_BC_WHAT_OTHER        "%s（批次 %lld）"
#define TXT_BC_REPORT_TITLE      "发送报告"
#define TXT_BC_REPORT_LINE       "%s · %s 发出，%zu 个群、%zu 人：已送达 %zu，待发送 %zu，失败 %zu"
#define TXT_BC_FAILED_GROUP      "未能送达：%s"
#define TXT_BC_FAILED_PEOPLE     "另有 %zu 人的私信未能送达。"
#define TXT_EV_NONE              "没有编号为 %s 的活动（或您无权查看）。"
#define TXT_EV_BAD_ID            "活动编号应为正整数"
#define TXT_EV_NOT_YOURS         "活动 %lld 属于“%s”，您不是该联盟的组织者。"
#define TXT_EV_CANCELLED         "活动 %lld 已取消。"
#define TXT_EV_STARTED           "活动 %lld 已经开始或结束。"
#define TXT_EV_NAME              "活动"
#define TXT_EV_USAGE             "活动 列表|查看|发布|修改|取消|报告 [编号]"
#define TXT_EV_HELP              "联盟活动：查看、发布、修改、取消，查看发送报告"
#define TXT_EV_SUBS \
	"活动 列表\n" \
	"活动 查看 <编号>\n" \
	"活动 发布（换行后逐行填写“字段：值”）（组织者、管理员）\n" \
	"活动 修改 <编号>（换行后填写要修改的字段）（组织者、管理员）\n" \
	"活动 取消 <编号>（组织者、管理员）\n" \
	"活动 报告 <编号>（组织者、管理员：通知的送达情况）"
#define TXT_EV_SUB_LIST          "列表"
#define TXT_EV_SUB_VIEW          "查看"
#define TXT_EV_SUB_PUBLISH       "发布"
#define TXT_EV_SUB_CHANGE        "修改"
#define TXT_EV_SUB_CANCEL        "取消"
#define TXT_EV_SUB_REPORT        "报告"
#define TXT_EV_SUB_DENIED        "您没有权限使用“活动 %s”。"
#define TXT_EV_LIST_TITLE        "近期活动 %zu 个"
#define TXT_EV_LIST_LINE         "%lld.【%s】%s　%s　%s　报名 %s%s"   /* id, kind, title, start, alliance, counts, mine */
#define TXT_EV_LIST_NONE         "近期没有您可查看的活动。"
#define TXT_EV_COUNT_CAP         "%zu/%lld"
#define TXT_EV_COUNT             "%zu"
#define TXT_EV_COUNT_WAITING     "，候补 %zu"
#define TXT_EV_MINE_CONFIRMED    "（您已报名）"
#define TXT_EV_MINE_WAITING      "（您在候补第 %zu 位）"
#define TXT_EV_REPORT_TITLE      "活动 %lld “%s”的发送报告"
#define TXT_EV_REPORT_NONE       "该活动还没有发送过通知。"
#define TXT_EV_NAME_ALLIANCE     "请在表单中填写“联盟：<名称或编号>”。"
#define TXT_EV_PREVIEW_PUBLISH   "确认后将发送到 %zu 个群、%zu 人（私信）。"
#define TXT_EV_PREVIEW_CHANGE    "确认后将把变更发送到 %zu 个群、%zu 人（私信，含已报名的人）。"
#define TXT_EV_PREVIEW_CANCEL    "确认后将取消活动，并通知 %zu 个群、%zu 人（私信，含已报名的人）。"
#define TXT_EV_PREVIEW_SIGNED    "目前已报名（含候补）%zu 人。"
#define TXT_EV_PUBLISHED         "已发布活动 %lld：【%s】%s"
#define TXT_EV_CHANGED           "已修改活动 %lld：【%s】%s"
#define TXT_EV_CANCEL_DONE       "已取消活动 %lld：【%s】%s"
#define TXT_EV_SENT              "已排队发送到 %zu 个群、%zu 人。发送“活动 报告 %lld”查看送达情况。"
#define TXT_EV_REPORT_LATER      "全部发送完毕后，将私聊告诉您送达结果。"
#define TXT_EV_PROMOTED          "候补中有 %zu 人转为正式报名，已通知本人。"
#define TXT_SU_NAME              "报名"
#define TXT_SU_USAGE             "报名 <活动编号>"
#define TXT_SU_HELP              "报名参加联盟活动（名额满时进入候补）"
#define TXT_SU_WITHDRAW_NAME     "取消报名"
#define TXT_SU_WITHDRAW_USAGE    "取消报名 <活动编号>"
#define TXT_SU_WITHDRAW_HELP     "取消本人的活动报名（候补的人将自动递补）"
#define TXT_SU_ROSTER_NAME       "报名名单"
#define TXT_SU_ROSTER_USAGE      "报名名单 <活动编号>"
#define TXT_SU_ROSTER_HELP       "查看活动的报名名单（姓名与企业）"
#define TXT_SU_DEADLINE          "活动 %lld 的报名已于 %s 截止。"
#define TXT_SU_BARRED            "您已被除名或列入黑名单，不能报名参加联盟活动。"
#define TXT_SU_ALREADY           "您已报名活动 %lld。"
#define TXT_SU_ALREADY_WAITING   "您已在活动 %lld 的候补名单中（第 %zu 位）。"
#define TXT_SU_DONE_TITLE        "报名成功：【%s】%s"
#define TXT_SU_WAITING_TITLE     "已进入候补：【%s】%s"
#define TXT_SU_WAITING           "名额（%lld 人）已满，您在候补第 %zu 位；有人取消时将按顺序自动递补并通知您。"
#define TXT_SU_HOW_CANCEL        "如不能参加，请发送“取消报名 %lld”。"
#define TXT_SU_NOT_SIGNED        "您没有报名活动 %lld。"
#define TXT_SU_CANCELLED         "已取消报名：活动 %lld【%s】%s。"
#define TXT_SU_ROSTER_TITLE      "活动 %lld “%s”报名名单：正式 %zu 人，候补 %zu 人"
#define TXT_SU_ROSTER_NONE       "还没有人报名。"
#define TXT_SU_ROSTER_LINE       "%zu. %s　%s%s%s"               /* n, person, enterprise, flags */
#define TXT_SU_ROSTER_WAITING    "（候补）"
#define TXT_SU_ROSTER_BARRED     "（已除名或列入黑名单）"
#define TXT_NT_NAME              "通知"
#define TXT_NT_USAGE             "通知 <联盟> <正文>（正文可换行续写）｜通知 报告 <批次>"
#define TXT_NT_HELP              "向联盟的群和接收私信的成员发送通知"
#define TXT_NT_WORD_REPORT       "报告"
#define TXT_NT_TOO_LONG          "正文过长：最多 %d 个字"
#define TXT_NT_PREVIEW           "确认后将发送到 %zu 个群、%zu 人（私信）。"
#define TXT_NT_SENT              "已向“%s”的 %zu 个群、%zu 人排队发送通知（批次 %lld）。发送“通知 报告 %lld”查看送达情况。"
#define TXT_NT_NO_BATCH          "没有批次为 %s 的通知（或不属于您的联盟）。"
#define TXT_SUB_ALREADY          "%s 已订阅“%s”。"
#define TXT_SUB_NOT              "%s 没有订阅“%s”。"

/* reminders (h14): the daily sweep's messages, 收到, 未确认, 提醒, cqoctl remind */
#define TXT_RMD_TITLE            "首席质量官提醒 · %s"              /* date */
#define TXT_RMD_LATE             "（补发：应于 %s 提醒）"          /* the working day it was due */
#define TXT_RMD_AT               "%s（记录号 %lld）"              /* enterprise, record */
#define TXT_RMD_TERM_LEFT        "任期提醒：您在%s的首席质量官任期将于 %s 届满，还有 %lld 天。请企业及时续聘或重新选拔，并向市场监管部门备案。"
#define TXT_RMD_TERM_TODAY       "任期提醒：您在%s的首席质量官任期于今天（%s）届满。请企业及时续聘或重新选拔，并向市场监管部门备案。"
#define TXT_RMD_TERM_PAST        "任期提醒：您在%s的首席质量官任期已于 %s 届满。请企业尽快续聘或重新选拔，并向市场监管部门备案。"
#define TXT_RMD_OVERDUE          "任期逾期：您在%s的首席质量官任期已于 %s 届满，已逾期 %lld 天，尚未续聘或备案继任者。请企业尽快办理。"
#define TXT_RMD_TRAINING         "任职培训：您在%s的首席质量官备案已满 %lld 天，尚未登记任职培训，请尽快参加。"
#define TXT_RMD_HOURS            "年度学时：%d 年已完成 %.1f 学时，还差 %.1f 学时（要求 %.1f 学时），请在年底前完成。"
#define TXT_RMD_SANCTION         "【%s】处理号 %lld，%s：%s（%s 下发）。"  /* kind, id, record, reason, date */
#define TXT_RMD_SANCTION_TIME    "约谈时间：%s，地点：%s。"
#define TXT_RMD_SANCTION_RECTIFY "请于 %s 前完成整改。"
#define TXT_RMD_SUMMONS_TOMORROW "约谈提醒：处理号 %lld（%s）的约谈定于明天 %s，地点：%s。"
#define TXT_RMD_SUMMONS_TODAY    "约谈提醒：处理号 %lld（%s）的约谈定于今天 %s，地点：%s。"
#define TXT_RMD_SUMMONS_ON       "约谈提醒：处理号 %lld（%s）的约谈定于 %s，地点：%s。"
#define TXT_RMD_RECTIFY          "整改提醒：处理号 %lld（%s）的整改期限为 %s，请按时完成。"
#define TXT_RMD_EVENT            "活动提醒：您报名的%s“%s”将于 %s 开始%s%s。"  /* kind, title, time, sep, place */
#define TXT_RMD_EVENT_PLACE_SEP  "，地点："
#define TXT_RMD_FOOTER           "回复“收到”确认已阅。发送“提醒 关闭 <任期|培训|学时|活动>”可关闭该类提醒；处理通知不能关闭。"
#define TXT_RMD_NOTICE_TITLE     "处理通知 · %s"                  /* kind */
#define TXT_RMD_NOTICE_FOOTER    "请回复“收到”确认已收到本通知。"
/* the clerks' digest */
#define TXT_DIGEST_TITLE         "辖区提醒汇总 · %s"              /* date */
#define TXT_DIGEST_WHO           "%s（%s，记录号 %lld）"          /* person, enterprise, record */
#define TXT_DIGEST_TERM          "任期将届满：%s，%s 届满，剩余 %lld 天"
#define TXT_DIGEST_TERM_PAST     "任期将届满：%s，%s 届满"
#define TXT_DIGEST_OVERDUE       "任期已逾期：%s，%s 届满，逾期 %lld 天，未续聘或备案继任者"
#define TXT_DIGEST_TRAINING      "未参加任职培训：%s，备案已满 %lld 天"
#define TXT_DIGEST_SANCTION      "处理未确认：%s，%s（处理号 %lld，%s 下发）"
#define TXT_DIGEST_SUMMONS       "约谈提醒：%s，处理号 %lld，%s"
#define TXT_DIGEST_RECTIFY       "整改提醒：%s，处理号 %lld，%s 到期"
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
