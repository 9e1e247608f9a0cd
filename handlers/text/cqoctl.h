/*
 * cqoctl, the administrator's tool: import and export columns, import
 * cell errors, usage and messages of every cqoctl command but outbox and
 * remind (handlers/text/outbox.h, remind.h).
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_CQOCTL_H
#define CQOD_TEXT_CQOCTL_H

#include "lists.h"
#include "registry.h"

/* cqoctl, the administrator's tool: import, export, backup, administration */
/* column names of import and export files: the header exports write comes
 * first, then other names and English aliases */
#define TXT_COL_RECORD           "记录号|record_id|record"
#define TXT_COL_REGION           TXT_APPT_F_REGION "|地区代码|region_code"
#define TXT_COL_REGION_NAME      "地区名称|region_name"
#define TXT_COL_CONTACT_NAME     "联系人|contact_name|contact"
#define TXT_COL_CONTACT_PHONE    "联系电话|contact_phone"
#define TXT_COL_CATEGORY         "类别|标签|企业类别|category|categories|tags"
#define TXT_COL_TAG_ABOVE        TXT_CAT_ABOVE
#define TXT_COL_TAG_CHAIN        TXT_CAT_CHAIN
#define TXT_COL_TAG_BRAND        TXT_CAT_BRAND
#define TXT_COL_TAG_AWARD        TXT_CAT_AWARD
#define TXT_COL_TAG_SPECIAL      TXT_CAT_SPECIAL
#define TXT_COL_TAG_BENCHMARK    TXT_CAT_BENCHMARK
#define TXT_COL_TAG_FOOD         TXT_CAT_FOOD
#define TXT_COL_TAG_DRUG         TXT_CAT_DRUG
#define TXT_COL_TAG_EQUIPMENT    TXT_CAT_EQUIPMENT
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
#define TXT_IMP_REGION_NONE      "不是已知的县（区）级行政区：请填写区县名称（如 兰山区、临沂市兰山区）或 6 位区划代码"
#define TXT_IMP_REGION_SEVERAL   "对应 %zu 个行政区划（%s%s），请改填区划代码或带上级名称的全称"
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
#define TXT_CTL_BAD_CATEGORY     "企业类别应为：规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备 或 中小企业"
#define TXT_CTL_BAD_FORMAT       "格式应为 csv、json 或 xlsx"
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
	"  --year 年份                  本次导入的企业类别为该年度名单（如规上企业名单）；不指定则不限年度\n" \
	"  --skip-bad                   只导入无误的行，有误的行写入拒收文件\n" \
	"  --reject 文件                拒收文件（默认：原文件名.rejects.csv）\n" \
	"  --dry-run                    在数据库的临时副本上试运行：检查、统计，不写入数据库\n" \
	"  --ignore-column 列名         忽略该列（可多次使用；其他无法识别的列视为错误）\n"
#define TXT_CTL_IMP_KIND         "导入类型应为 enterprises、cqos、trainings 或 sanctions"
#define TXT_CTL_IMP_ENCODING     "编码应为 utf-8、gbk 或 gb18030"
#define TXT_CTL_IMP_TAG          "“%s”不是企业类别"
#define TXT_CTL_IMP_EMPTY        "%s：文件为空或没有表头"
#define TXT_CTL_IMP_NUL          "%s：文件含有 NUL 字节，不是文本格式的 CSV（请在 Excel 中另存为“CSV UTF-8”或“CSV”）"
#define TXT_CTL_IMP_UTF16        "%s：文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”或“CSV”"
#define TXT_CTL_IMP_BAD_BYTES    "%s:%u: 含有不是 %s 编码的字节（可用 --encoding 指定编码）"
#define TXT_CTL_IMP_QUOTES       "%s:%u: 引号不配对，或右引号后还有其他字符"
#define TXT_CTL_IMP_UNKNOWN_COLS \
	"%s：无法识别的列：%s；请改为信息表中的栏目名称，或用 --ignore-column 列名 明确忽略"
#define TXT_CTL_IMP_IGNORE_MANY  "--ignore-column 最多使用 %d 次"
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
#define TXT_CTL_IMP_CONFIRM_STEP "记录未变化的行"
#define TXT_CTL_IMP_TAG_KIND     "--tag 和 --year 只能用于 enterprises 和 cqos"
/* cqoctl export */
#define TXT_CTL_HELP_EXPORT      "导出备案、企业、培训、处理、统计表或活动报名（CSV、JSON 或 Excel）"
#define TXT_CTL_USAGE_EXPORT \
	"用法：cqoctl export registry|enterprises|trainings|sanctions|stats|signups [选项]\n" \
	"导出为 UTF-8（带 BOM）的 CSV，Excel 可直接打开，中文不乱码；或导出 JSON；\n" \
	"或导出 Excel 工作簿（xlsx，须用 -o 指定文件）：stats 每类企业一个工作表，附各地区聘任率与目标柱状图。\n" \
	"  registry     首席质量官备案（每条记录一行，列同信息表）\n" \
	"  enterprises  企业及其类别\n" \
	"  trainings    培训记录        sanctions  处理记录\n" \
	"  stats        《企业首席质量官基本情况统计表》：按下级地区和企业类别的企业数、已聘任数、\n" \
	"               聘任率、目标、差距、任职培训与本年新备案，与聊天命令“统计”一致\n" \
	"  signups      活动报名名单\n" \
	"registry、enterprises、trainings、sanctions 的文件可用 cqoctl import 原样导入。\n" \
	"  -o, --output 文件    写入文件（默认标准输出）\n" \
	"  --format csv|json|xlsx  输出格式（默认 csv）\n" \
	"  --region 地区代码    只导出该地区及其下级；stats 的统计范围（默认全国）\n" \
	"  --year 年份          stats：统计年份（默认今年）\n" \
	"  --category 类别      stats：只统计该类企业（默认全部类别）\n" \
	"  --event 活动编号     signups：只导出该活动\n"
#define TXT_CTL_EXP_WHAT         "导出内容应为 registry、enterprises、trainings、sanctions、stats 或 signups"
#define TXT_CTL_XLSX_FILE        "xlsx 格式须用 -o 指定输出文件"
#define TXT_CTL_EXP_NO_DATA      "没有可导出的数据，未生成文件"
#define TXT_CTL_XLSX_TITLE       "%s（%s 导出）"            /* what, date */
#define TXT_CTL_XLSX_ENTERPRISES "企业名录"
#define TXT_CTL_XLSX_REGISTRY    "首席质量官备案"
#define TXT_CTL_XLSX_TRAININGS   "培训记录"
#define TXT_CTL_XLSX_SANCTIONS   "处理记录"
#define TXT_CTL_XLSX_SIGNUPS     "活动报名"
#define TXT_CTL_XLSX_CHART       "各地区聘任率与目标"
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
	"角色：admin（管理员，不带范围）；clerk 地区代码（工作人员）；organizer 联盟名称或编号（组织者）；\n" \
	"cqo 记录号（首席质量官，授予持有该备案记录的人员）。角色也可写中文（管理员、工作人员（或办事员）、组织者、首席质量官）。\n" \
	"平台:实例 为配置文件中的实例，如 wecom:office；该平台只配置了一个实例时可只写平台名。\n" \
	"用户ID 为该用户在此实例所属组织中的标识（企业微信 UserID、钉钉 userid、飞书 open_id），\n" \
	"可让其向机器人发送“我是谁”查看。另一个企业或组织中的同名用户ID 是另一个人。写入审计记录。\n" \
	"例：cqoctl grant wecom:office zhangsan admin；cqoctl grant generic u1 clerk 371302\n"
#define TXT_CTL_GRANT_NO_RECORD  "记录号 %lld 不存在"
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
	"  --annual-hours H            年度培训学时（0–1000，默认 0 即不要求）\n" \
	"  --hours-kinds 列表          计入年度学时的培训类型，如 线上自学 或 继续教育,线上自学\n" \
	"  --prorate yes|no            年中聘任的按剩余月数折算学时（向上取整）\n" \
	"  --hours-remind 列表         年度学时提醒日期，如 09-01,11-01,12-01\n" \
	"  --min-years N               最少质量工作年限（0–50，默认 3）\n" \
	"  --education 学历|none       最低学历，如 大专、本科\n" \
	"  --title 职称|none           最低职称，如 中级\n" \
	"  --mode all|any              学历与职称均须达到（all），或满足其一（any）\n" \
	"  --positions 列表|none       首席质量官应担任的岗位：主要负责人、高层副职、质量部门负责人，\n" \
	"                              以逗号分隔，如 高层副职,质量部门负责人\n" \
	"  --positions-small-exempt yes|no  小微企业不受岗位要求限制\n" \
	"  --disqualifications 列表|none  备案时须声明的不得担任情形，以 | 分隔（共不超过 160 字）\n" \
	"  --appointment-training yes|no  是否要求任职培训\n" \
	"  --remind-days 列表          任期届满前提醒的天数，如 90,30,7,0\n" \
	"  --training-month M          同 --hours-remind，提醒日为该月 1 日（1–12）\n" \
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
#define TXT_CTL_POL_POSITIONS    "任职岗位：%s%s\n"
#define TXT_CTL_POL_ANY_POST     "不限"
#define TXT_CTL_POL_SMALL_EXEMPT "（小微企业不限）"
#define TXT_CTL_POL_DISQ         "不得担任情形（须声明）：%s\n"
#define TXT_CTL_POL_TRAINING     "任职培训：%s\n"
#define TXT_CTL_POL_REQUIRED     "要求"
#define TXT_CTL_POL_NONE         "不要求"
#define TXT_CTL_POL_REMIND       "任期届满提醒：届满前 %s 天\n"
#define TXT_CTL_POL_HOURS_NONE   "年度培训学时：不要求\n"
#define TXT_CTL_POL_KINDS        "计入学时的培训：%s\n"
#define TXT_CTL_POL_PRORATE      "年中聘任：%s\n"
#define TXT_CTL_POL_PRORATED     "按剩余月数折算学时"
#define TXT_CTL_POL_FULL_YEAR    "不折算"
#define TXT_CTL_POL_MONTH        "年度学时提醒：每年 %s\n"
#define TXT_CTL_POL_MONTH_NONE   "年度学时提醒：无（不要求年度学时）\n"
#define TXT_CTL_POL_BIND         "绑定码有效期：%d 天\n"
#define TXT_CTL_POL_BAD_VALUE    "--%s 的值“%s”无效"
#define TXT_CTL_POL_NOTHING      "请至少给出一项要修改的设置"
#define TXT_CTL_POL_REFUSED      "数据库拒绝了这些设置"
#define TXT_CTL_POL_ACTION       "应为 policy show 地区代码 或 policy set 地区代码 选项…"
/* cqoctl target */
#define TXT_CTL_HELP_TARGET      "设置或列出聘任率、培训率、新备案目标（按地区、类别、年份）"
#define TXT_CTL_USAGE_TARGET \
	"用法：cqoctl target set 地区代码 类别 年份 [聘任率|培训率|新备案] 目标值\n" \
	"      cqoctl target list [--region 地区代码] [--year 年份] [--category 类别]\n" \
	"set 与聊天命令“目标”相同：默认为聘任率；比例写作 80%、0.8 或 80，新备案写人数；写入审计记录。\n" \
	"list 列出已设定的目标；--region 只列该地区及其下级。\n"
#define TXT_CTL_TARGET_LINE      "%s（%s）%s企业 %d 年：%.1f%%\n"
#define TXT_CTL_TARGET_LINE_TRAINED "%s（%s）%s企业 %d 年任职培训：%.1f%%\n"
#define TXT_CTL_TARGET_LINE_NEW  "%s（%s）%s企业 %d 年当年新备案：%lld 名\n"
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

#endif
