/*
 * Lists and statistics: 到期, 逾期, 未培训, 处理名单, 空缺, 统计, 目标.
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_LISTS_H
#define CQOD_TEXT_LISTS_H

/* lists and statistics: 到期, 逾期, 未培训, 处理名单, 空缺, 统计, 目标 */
#define TXT_LISTS_EXPIRING_NAME    "到期"
#define TXT_LISTS_EXPIRING_USAGE   "到期 [天数]"
#define TXT_LISTS_EXPIRING_HELP    "列出任期在若干天内（默认 90 天）届满的首席质量官"
#define TXT_LISTS_EXPIRING_TITLE   "%ld 天内任期届满的首席质量官（共 %zu 人）"     /* days, count */
#define TXT_LISTS_EXPIRING_NONE    "%ld 天内没有任期届满的首席质量官。"
#define TXT_LISTS_EXPIRING_LINE    "%zu. 记录号 %lld　%s　%s　%s　任期至 %s（剩余 %lld 天）"
#define TXT_LISTS_EXPIRING_TODAY   "%zu. 记录号 %lld　%s　%s　%s　任期至 %s（今日届满）"
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
#define TXT_LISTS_VACANT_TITLE     "未聘任首席质量官的%s（共 %zu 家）"        /* category in full, count */
#define TXT_LISTS_VACANT_NONE      "%s均已聘任首席质量官。"
#define TXT_LISTS_VACANT_LINE      "%zu. %s　%s　%s　%s"     /* n, enterprise, credit code, region, history */
#define TXT_LISTS_VACANT_NEVER     "从未备案"
#define TXT_LISTS_VACANT_LAST      "原首席质量官 %s（记录号 %lld）%s 离任"
/* Enterprise categories: the stored tag first (store_import_tag_name order),
 * then the names the seeds write and English aliases. */
#define TXT_TAG_ABOVE               "规上"
#define TXT_TAG_CHAIN               "链主"
#define TXT_TAG_BRAND               "好品"
#define TXT_TAG_AWARD               "质量奖"
#define TXT_TAG_SPECIAL             "专精特新"
#define TXT_TAG_BENCHMARK           "标杆"
#define TXT_TAG_FOOD                "食品"
#define TXT_TAG_DRUG                "药品"
#define TXT_TAG_EQUIPMENT           "特种设备"
#define TXT_CAT_ABOVE              TXT_TAG_ABOVE "|规模以上|规模以上企业|规上企业|above_scale"
#define TXT_CAT_CHAIN              TXT_TAG_CHAIN "|链主企业|chain_leader"
#define TXT_CAT_BRAND              TXT_TAG_BRAND "|好品山东|好品山东企业|好品山东品牌企业|brand"
#define TXT_CAT_AWARD              TXT_TAG_AWARD "|省长质量奖|市长质量奖|质量奖企业|获政府质量奖企业|quality_award"
#define TXT_CAT_SPECIAL            TXT_TAG_SPECIAL "|专精特新企业|specialized"
#define TXT_CAT_BENCHMARK          TXT_TAG_BENCHMARK "|质量标杆|质量标杆企业|benchmark"
#define TXT_CAT_FOOD               TXT_TAG_FOOD "|食品企业|food"
#define TXT_CAT_DRUG               TXT_TAG_DRUG "|药品企业|drug"
#define TXT_CAT_EQUIPMENT          TXT_TAG_EQUIPMENT "|特种设备企业|special_equipment"
#define TXT_CAT_SME                "中小企业|中小型企业|sme"
/* Enterprise categories in full, as lists and cards name them */
#define TXT_CATNAME_ABOVE          "规上企业"
#define TXT_CATNAME_CHAIN          "链主企业"
#define TXT_CATNAME_BRAND          "好品山东品牌企业"
#define TXT_CATNAME_AWARD          "获政府质量奖企业"
#define TXT_CATNAME_SPECIAL        "专精特新企业"
#define TXT_CATNAME_BENCHMARK      "质量标杆企业"
#define TXT_CATNAME_FOOD           "食品企业"
#define TXT_CATNAME_DRUG           "药品企业"
#define TXT_CATNAME_EQUIPMENT      "特种设备企业"
#define TXT_CAT_SME_STEM           "中小"                  /* 中小 + 企业 in sentences */
#define TXT_STATS_CATEGORY_BAD     "企业类别应为：规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备 或 中小企业"
#define TXT_LISTS_CATEGORY_BAD     "企业类别应为：规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备"
#define TXT_STATS_NAME             "统计"
#define TXT_STATS_USAGE            "统计 [地区] [类别] [年份]"
#define TXT_STATS_REGION_WHAT      "地区"
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
#define TXT_STATS_COL_NEW          "当年新备案"
#define TXT_STATS_COL_RENEWED      "续聘"
#define TXT_STATS_COL_REPLACED     "更换"
#define TXT_STATS_TOTAL            "合计"
#define TXT_STATS_PERCENT          "%.1f%%"
#define TXT_STATS_NO_TARGET        "未设定"
#define TXT_STATS_MET              "已达标"
#define TXT_STATS_GAP              "差 %.1f 个百分点"                       /* points */
#define TXT_STATS_AS_OF            "按 %s 的在任情况统计。"                 /* date */
#define TXT_STATS_GOAL_TRAINED     "任职培训目标 %.1f%%：现为 %s，%s。"     /* target, share, gap or met */
#define TXT_STATS_GOAL_NEW         "当年新备案目标 %lld 名：现为 %lld 名，%s。"  /* target, filings, gap or met */
#define TXT_STATS_GAP_COUNT        "差 %lld 名"
#define TXT_STATS_LIST_EARLIER     "%d 年尚无%s企业名单，沿用 %d 年名单。"   /* year, category, list year */
#define TXT_STATS_NO_DATA          "该地区暂无%s企业。"                   /* category */
#define TXT_STATS_BAD_ARG          "无法识别的参数“%.*s”：应为地区名称或代码、企业类别或年份"
#define TXT_STATS_REPEATED_ARG     "参数“%s”重复：地区、类别、年份各只能指定一次"
#define TXT_STATS_REGION_UNKNOWN   "地区代码 %s 不存在"
#define TXT_STATS_OUT_OF_SCOPE     "地区 %s 不在您的管辖范围内，只能统计 %s 及其下级地区。"
/* 导出 统计: the 统计表 as an Excel file, sent through the outbox */
#define TXT_EXPORT_NAME            "导出"
#define TXT_EXPORT_USAGE           "导出 统计 [地区] [类别] [年份]"
#define TXT_EXPORT_HELP            "将统计表生成 Excel 文件，以文件消息发送到本会话"
#define TXT_EXPORT_SUB_STATS       "统计"
#define TXT_EXPORT_STATS_HELP      "生成企业首席质量官基本情况统计表（Excel，不指定类别时每类企业一个工作表），以文件消息发送"
#define TXT_EXPORT_FILE_NAME       "%s%s首席质量官基本情况统计表（%d年）.xlsx"   /* region, TXT_EXPORT_CATEGORY or "", year */
#define TXT_EXPORT_CATEGORY        "%s企业"                               /* category */
#define TXT_EXPORT_STARTED         "正在生成《%s》，生成后以文件消息发送到本会话，请稍候。"   /* file name */
#define TXT_EXPORT_NO_FILE         "当前平台不支持接收文件，无法在此发送统计表。请用“统计”命令查看，或请系统管理员在服务器上运行 cqoctl export stats --format xlsx 导出 Excel 文件。"
#define TXT_TARGET_NAME            "目标"
#define TXT_TARGET_USAGE           "目标 <地区> <类别> <年份> [聘任率|培训率|新备案] <目标值>"
#define TXT_TARGET_HELP            "设定某地区某类企业某年度的目标：聘任率（默认，比例如 80%、0.8 或 80）、在任首席质量官任职培训比例（培训率），或当年新备案人数（新备案，如 500）"
/* The targets' measures, in enum store_target_metric order. */
#define TXT_TARGET_METRIC_RATE     "聘任率|rate"
#define TXT_TARGET_METRIC_TRAINED  "培训率|任职培训|已任职培训|trained"
#define TXT_TARGET_METRIC_NEW      "新备案|当年新备案|新增|new_filings"
#define TXT_TARGET_METRIC_BAD      "目标类型“%s”无法识别：应为 聘任率、培训率 或 新备案"
#define TXT_TARGET_COUNT_BAD       "新备案目标应为 0 到 1000000 之间的整数（名）"
#define TXT_TARGET_COUNT_FIELD     "新备案目标"
#define TXT_TARGET_YEAR_FIELD      "年份"
#define TXT_TARGET_RATE_BAD        "比例应为 0 到 100% 之间的数，如 80%、0.8 或 80"
#define TXT_TARGET_DONE            "已设定 %s（%s）%s企业 %d 年聘任率目标：%.1f%%"  /* name, code, category, year, rate */
#define TXT_TARGET_DONE_TRAINED    "已设定 %s（%s）%s企业 %d 年首席质量官任职培训目标：%.1f%%"
#define TXT_TARGET_DONE_NEW        "已设定 %s（%s）%s企业 %d 年当年新备案目标：%lld 名"
#define TXT_TARGET_REPLACED        "原目标为 %.1f%%。"
#define TXT_TARGET_REPLACED_NEW    "原目标为 %lld 名。"

#endif
