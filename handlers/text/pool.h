/*
 * The 人才库 (talent pool): 人才库 列表 / 查询 / 加入 / 移出.
 * Formats are string literals so -Wformat=2 checks them at each call.
 */
#ifndef CQOD_TEXT_POOL_H
#define CQOD_TEXT_POOL_H

#define TXT_POOL_NAME            "人才库"
#define TXT_POOL_USAGE           "人才库 [列表|查询|加入|移出]"
#define TXT_POOL_HELP            "首席质量官人才库：已参加任职培训、目前未在任的人员"
#define TXT_POOL_SUB_LIST        "列表"
#define TXT_POOL_LIST_USAGE      "人才库 列表"
#define TXT_POOL_LIST_HELP       "列出辖区内人才库人员（已参加任职培训、目前未在任）"
#define TXT_POOL_SUB_QUERY       "查询"
#define TXT_POOL_QUERY_USAGE     "人才库 查询 <编号|姓名>"
#define TXT_POOL_QUERY_HELP      "查看人才库人员的信息与任职培训情况"
#define TXT_POOL_SUB_ADD         "加入"
#define TXT_POOL_ADD_USAGE       "人才库 加入（换行后逐行填写“字段：值”）"
#define TXT_POOL_ADD_HELP        "将已参加任职培训、尚未聘任的人员纳入人才库，并登记其任职培训"
#define TXT_POOL_SUB_REMOVE      "移出"
#define TXT_POOL_REMOVE_USAGE    "人才库 移出 <编号> <原因>"
#define TXT_POOL_REMOVE_HELP     "将人员移出人才库（不影响其聘任记录）"

#define TXT_POOL_LIST_TITLE      "人才库（%zu 人）"
#define TXT_POOL_LIST_EMPTY      "辖区内人才库暂无人员。"
#define TXT_POOL_LIST_LINE       "编号 %lld　%s　%s　任职培训 %s　%s"   /* id, name, region, date, unit */
#define TXT_POOL_LIST_HINT       "从人才库聘任：备案时填写相同的姓名和手机，即关联此人员及其培训记录。"
#define TXT_POOL_NOT_FOUND       "人才库中未找到“%s”（或不在您的管辖范围内）。"
#define TXT_POOL_MATCHES         "人才库中有 %zu 人名为“%s”，请用编号查询："
#define TXT_POOL_CARD_TITLE      "人才库 · 编号 %lld"
#define TXT_POOL_K_NAME          "姓名"
#define TXT_POOL_K_PHONE         "手机"
#define TXT_POOL_K_BIRTH         "出生日期"
#define TXT_POOL_K_EDU           "学历 / 职称"
#define TXT_POOL_K_POSITION      "现任职务"
#define TXT_POOL_K_REGION        "所在地区"
#define TXT_POOL_K_UNIT          "所在企业"
#define TXT_POOL_K_TRAINED       "任职培训"
#define TXT_POOL_TRAINED_FMT     "%s（证书号 %s）"
#define TXT_POOL_K_LAST          "曾任记录号"
#define TXT_POOL_NONE            "—"

#define TXT_POOL_FORM_INTRO      "请在“人才库 加入”后换行，逐行填写以下字段（带 * 为必填）："
#define TXT_POOL_F_NAME          "姓名|name"
#define TXT_POOL_F_PHONE         "手机|联系电话|联系电话/手机|phone"
#define TXT_POOL_F_GENDER        "性别|gender"
#define TXT_POOL_F_BIRTH         "出生日期|birth_date"
#define TXT_POOL_F_EDU           "学历|education"
#define TXT_POOL_F_TITLE         "职称|title"
#define TXT_POOL_F_POSITION      "职务|现任职务|position"
#define TXT_POOL_F_YEARS         "质量工作年限|quality_years"
#define TXT_POOL_F_REGION        "所在地区|所在地|region"
#define TXT_POOL_F_UNIT          "所在企业|推荐单位|enterprise"
#define TXT_POOL_F_DATE          "培训日期|任职培训日期|training_date"
#define TXT_POOL_F_HOURS         "学时|hours"
#define TXT_POOL_F_CERT          "证书号|结业证书号|certificate"
#define TXT_POOL_F_INST          "培训机构|institution"
#define TXT_POOL_FIELD_BAD       "%.*s：%s"                   /* field, why */
#define TXT_POOL_YEARS_FIELD     "质量工作年限"
#define TXT_POOL_TEXT_LONG       "不能超过 %d 个字"
#define TXT_POOL_DATE_FUTURE     "培训日期不能晚于今天"
#define TXT_POOL_REGION_BAD      "所在地区 %s 不存在或不在您的管辖范围内。"

#define TXT_POOL_ADDED_TITLE     "已纳入人才库 · 编号 %lld"
#define TXT_POOL_REUSED          "已关联已有人员档案。"
#define TXT_POOL_EXISTS          "%s 已在人才库中（编号 %lld）。"
#define TXT_POOL_IN_OFFICE       "%s 是在任首席质量官，不纳入人才库。"
#define TXT_POOL_BARRED          "%s 已被除名或列入黑名单，不能纳入人才库。"
#define TXT_POOL_REMOVED         "编号 %lld：%s 已移出人才库，原因：%s。"
#define TXT_POOL_REASON_EMPTY    "请填写移出原因"
#define TXT_POOL_REASON_FIELD    "原因"

#endif
