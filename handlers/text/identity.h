/*
 * Identities and roles: 授权, 撤销授权, 角色, additions to 我是谁 and 查询;
 * binding: 绑定, 解绑, 绑定码.
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_IDENTITY_H
#define CQOD_TEXT_IDENTITY_H

/* identities and roles: 授权, 撤销授权, 角色; additions to 我是谁 and 查询 */
#define TXT_GRANT_NAME           "授权"
#define TXT_GRANT_USAGE          "授权 <@用户|用户ID> <角色> [地区代码|联盟名称或编号|记录号]"
#define TXT_GRANT_HELP           "授予角色：管理员；工作人员 地区代码；组织者 联盟；首席质量官 记录号"
#define TXT_GRANT_BAD_USER       "用户应写作 @用户ID 或用户ID（不超过 %d 个字符）"
#define TXT_GRANT_BAD_ROLE       "未知角色“%s”：应为 管理员、工作人员、组织者 或 首席质量官"
#define TXT_GRANT_ADMIN_NO_ARG   "管理员角色不带范围"
#define TXT_GRANT_NEED_REGION    "工作人员需要管辖地区代码，如 371302"
#define TXT_GRANT_NEED_ALLIANCE  "组织者需要联盟名称或编号"
#define TXT_GRANT_NEED_RECORD    "首席质量官需要其备案记录号"
#define TXT_GRANT_NO_REGION      "地区代码 %s 不存在"
#define TXT_GRANT_NO_ALLIANCE    "没有名称或编号为“%s”的联盟"
#define TXT_GRANT_SELF           "不能更改自己的角色，请联系其他管理员。"
#define TXT_GRANT_LAST_ADMIN     "%s 是最后一位管理员，不能撤销或改为其他角色。"
#define TXT_GRANT_CLERK_ONLY     "工作人员只能在本人管辖范围（%s）内授予或撤销工作人员角色。"
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
#define TXT_ROLE_DETAIL_ENTERPRISE "%s（统一社会信用代码 %s）"   /* enterprise, credit code */
#define TXT_WHOAMI_ALLIANCE      "联盟"
#define TXT_WHOAMI_ENTERPRISE    "所在企业"
#define TXT_GRANT_CONTACT_BY_CODE "企业联系人不能授权：请发送“绑定码 企业 <记录号|统一社会信用代码>”签发绑定码，由企业联系人本人绑定。"
#define TXT_CARD_GENDER          "性别"
#define TXT_CARD_BIRTH           "出生日期"
#define TXT_CARD_PHONE           "手机"
#define TXT_CARD_EMAIL           "邮箱"

/* binding: 绑定, 解绑, 绑定码 (handlers/bind.c) */
#define TXT_BIND_NAME            "绑定"
#define TXT_BIND_USAGE           "绑定 <绑定码>"
#define TXT_BIND_HELP            "首席质量官或企业联系人用市场监管部门提供的绑定码绑定身份"
#define TXT_BIND_INVALID         "绑定码无效、已过期或已使用，请向工作人员索取新的绑定码。"
#define TXT_BIND_STAFF           "您已有%s身份，工作人员身份不能绑定为首席质量官。"   /* role */
#define TXT_BIND_GROUP           "为保护绑定码，请在与机器人的私聊中发送“绑定 <绑定码>”。"
#define TXT_BIND_DONE            "绑定成功：您已绑定为首席质量官（%s）。发送“帮助”查看可用命令。"
#define TXT_BIND_CONTACT_DONE    "绑定成功：您已绑定为%s的企业联系人，可查询本企业首席质量官备案记录、接收市场监管部门发给本企业的通知。"   /* enterprise */
#define TXT_BIND_CONTACT_SENT    "另有 %zu 份发给贵单位的处理通知，已随后发送给您。"
#define TXT_BIND_LOCKED          "绑定码错误次数过多，您的绑定已暂停至 %s，请届时再试，或向工作人员核实绑定码。"   /* time */
#define TXT_BIND_PAUSED          "近期绑定码错误次数过多，绑定功能已暂停至 %s，请稍后再试。"   /* time */
#define TXT_BIND_PAUSE_TITLE     "绑定功能已暂停"
#define TXT_BIND_PAUSE_COUNT     "过去一小时内绑定码错误 %d 次，疑有人猜测绑定码。"
#define TXT_BIND_PAUSE_UNTIL     "绑定功能已对所有用户暂停至 %s，届时自动恢复。"
#define TXT_BIND_PAUSE_HINT      "每次失败的发送人已记入服务日志（bind: code refused），请核查。"
#define TXT_UNBIND_NAME          "解绑"
#define TXT_UNBIND_USAGE         "解绑"
#define TXT_UNBIND_HELP          "解除本人首席质量官或企业联系人身份绑定"
#define TXT_UNBIND_DONE          "已解除绑定，您现在是访客。如需重新绑定，请向工作人员索取新的绑定码。"
#define TXT_UNBIND_NONE          "您没有已绑定的首席质量官或企业联系人身份。"
#define TXT_BINDCODE_NAME        "绑定码"
#define TXT_BINDCODE_USAGE       "绑定码 <记录号>｜绑定码 企业 <记录号|统一社会信用代码>"
#define TXT_BINDCODE_HELP        "为记录中的首席质量官签发新绑定码；加“企业”为该企业的企业联系人签发（旧码作废）"
#define TXT_BINDCODE_ENTERPRISE  "企业"
#define TXT_BINDCODE_ENT_TITLE   "%s 的企业联系人绑定码"        /* enterprise */
#define TXT_BINDCODE_ENT_CODE    "绑定码：%s（有效期至 %s，仅可使用一次）。请转交企业联系人，在与机器人的私聊中发送“绑定 %s”。"
#define TXT_BINDCODE_ENT_GROUP   "为保护绑定码，请在与机器人的私聊中发送“绑定码 企业 %s”。"
#define TXT_BINDCODE_NO_ENTERPRISE "未找到统一社会信用代码为 %s 的企业，或该企业不在您的管辖范围内。"
#define TXT_BINDCODE_TITLE       "记录号 %lld · %s 的绑定码"
#define TXT_BINDCODE_GROUP       "为保护绑定码，请在与机器人的私聊中发送“绑定码 %s”。"
#define TXT_BINDCODE_REVOKED     "此前签发且未使用的绑定码已作废。"

#endif
