/* Import files (handlers/import_row.c, import_check.c): matching headers in
 * Chinese, English and template spellings; every reason a cell is refused,
 * reported with its column and value; normalized values; categories from a
 * 类别 column, per-category columns and their refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/log.h"
#include "../../store/store_import.h"
#include "../../handlers/import_row.h"
#include "../../handlers/text/common.h"
#include "../../handlers/text/cqoctl.h"
#include "../../handlers/text/registry.h"

#define TODAY "2026-11-21"
#define MAX_CELLS 40

/* Problems reported for a row: "column|value|why" each. */
struct problems {
	char lines[16][512];
	size_t n;
};

static void collect(void *arg, const char *column, const char *value, const char *why)
{
	struct problems *p = arg;
	assert_true(p->n < 16);
	snprintf(p->lines[p->n++], sizeof p->lines[0], "%s|%s|%s", column, value, why);
}

/* A CSV-like test row: cells split at '\t' into a mutable buffer. */
struct cells {
	char buf[2048];
	char *v[MAX_CELLS];
	size_t n;
};

static void split(struct cells *c, const char *tsv)
{
	snprintf(c->buf, sizeof c->buf, "%s", tsv);
	c->n = 0;
	for (char *p = c->buf;; ) {
		c->v[c->n++] = p;
		char *tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
}

struct file {
	struct cells head;
	struct import_header h;
};

static void header(struct file *f, enum import_kind kind, const char *tsv)
{
	char why[256], unknown[256];

	split(&f->head, tsv);
	assert_int_equal(import_header_read(kind, f->head.v, f->head.n, &f->h, why, sizeof why,
	                                    unknown, sizeof unknown), 0);
}

/* Reads one row; returns the import_row_read result. */
static int read_row(const struct file *f, const char *tsv, struct import_row *row,
                    struct cells *c, struct problems *p)
{
	struct import_sink sink = {collect, p};

	memset(p, 0, sizeof *p);
	split(c, tsv);
	row->line = 7;
	return import_row_read(&f->h, c->v, c->n, TODAY, row, &sink);
}

static void test_header_names(void **state)
{
	struct cells c;
	struct import_header h;
	char why[256], unknown[256];
	(void)state;

	/* Template marks, English aliases, spaces; unknown columns listed. */
	split(&c, "序号\t*姓名\tcredit_code\t 企业名称（必填）\tRegion\t聘任日期\t备用");
	assert_int_equal(import_header_read(IMPORT_CQOS, c.v, c.n, &h, why, sizeof why, unknown,
	                                    sizeof unknown), 0);
	assert_int_equal(h.at[IC_NAME], 1);
	assert_int_equal(h.at[IC_CREDIT], 2);
	assert_int_equal(h.at[IC_ENTERPRISE], 3);
	assert_int_equal(h.at[IC_REGION], 4);
	assert_int_equal(h.at[IC_START], 5);
	assert_int_equal(h.at[IC_PHONE], -1);
	assert_string_equal(unknown, "序号、备用");
	assert_string_equal(import_header_name(&h, IC_ENTERPRISE), "企业名称（必填）");

	/* A required column missing. */
	split(&c, "姓名\t统一社会信用代码\t所在地区\t聘任日期");
	assert_int_equal(import_header_read(IMPORT_CQOS, c.v, c.n, &h, why, sizeof why, unknown,
	                                    sizeof unknown), -EINVAL);
	assert_string_equal(why, "缺少必需的列“企业名称”");

	/* Two names of one column. */
	split(&c, "统一社会信用代码\t企业名称\t所在地区\t信用代码");
	assert_int_equal(import_header_read(IMPORT_ENTERPRISES, c.v, c.n, &h, why, sizeof why,
	                                    unknown, sizeof unknown), -EINVAL);
	assert_string_equal(why, "列“统一社会信用代码”和列“信用代码”对应同一项内容");

	/* The same word means the kind's own column. */
	split(&c, "姓名\t统一社会信用代码\t类型\t日期\t学时");
	assert_int_equal(import_header_read(IMPORT_TRAININGS, c.v, c.n, &h, why, sizeof why,
	                                    unknown, sizeof unknown), 0);
	assert_int_equal(h.at[IC_TRAIN_KIND], 2);
	assert_int_equal(h.at[IC_TRAIN_DATE], 3);
	split(&c, "姓名\t统一社会信用代码\t类型\t日期\t依据");
	assert_int_equal(import_header_read(IMPORT_SANCTIONS, c.v, c.n, &h, why, sizeof why,
	                                    unknown, sizeof unknown), 0);
	assert_int_equal(h.at[IC_SAN_KIND], 2);
	assert_int_equal(h.at[IC_ISSUED_ON], 3);
}

static void test_kinds_and_columns(void **state)
{
	enum import_kind k;
	size_t n;
	char name[64];
	(void)state;

	assert_int_equal(import_kind_parse("cqos", &k), 0);
	assert_int_equal(k, IMPORT_CQOS);
	assert_int_equal(import_kind_parse("registry", &k), 0);
	assert_int_equal(k, IMPORT_CQOS);
	assert_int_equal(import_kind_parse("sanctions", &k), 0);
	assert_int_equal(k, IMPORT_SANCTIONS);
	assert_int_equal(import_kind_parse("people", &k), -EINVAL);
	const struct import_column *cols = import_columns(IMPORT_ENTERPRISES, &n);
	import_column_header(&cols[0], name, sizeof name);
	assert_string_equal(name, "统一社会信用代码");
	assert_string_equal(cols[0].key, "credit_code");
	assert_true(cols[0].flags & IMPORT_COL_REQUIRED);
	assert_string_equal(import_status_text("active"), TXT_STATUS_ACTIVE);
	assert_string_equal(import_status_text("revoked"), "已撤销");
	assert_string_equal(import_status_text("other"), "other");
}

#define CQO_HEADER \
	"姓名\t性别\t出生日期\t学历\t质量工作年限\t手机\t邮箱\t企业名称\t统一社会信用代码\t" \
	"所在地区\t行业代码\t职工人数\t企业规模\t类别\t规上\t链主\t聘任文件号\t聘任日期\t" \
	"任期届满日期\t任期\t状态\t终止日期\t备注"

static void test_good_cqo_row(void **state)
{
	struct file f;
	struct cells c;
	struct import_row row;
	struct problems p;
	(void)state;

	header(&f, IMPORT_CQOS, CQO_HEADER);
	assert_int_equal(read_row(&f, " 张三 \t男\t1980年3月15日\t本科\t12\t138 0000 0001\t"
	                              "zs@example.com\t示例精密机械有限公司\t91350100m000100y43\t"
	                              "371302\tc3411\t320\t小型\t规上；专精特新\t是\t否\t"
	                              "示聘字〔2023〕第1号\t2023-12-12\t\t5\t任期结束\t2025/6/30\t",
	                          &row, &c, &p), 0);
	const struct store_import_cqo *q = &row.in.cqo;
	assert_int_equal(row.line, 7);
	assert_string_equal(q->person.name, "张三");
	assert_string_equal(q->person.gender, "男");
	assert_string_equal(q->person.birth_date, "1980-03-15");
	assert_int_equal(q->person.quality_years, 12);
	assert_string_equal(q->person.phone, "13800000001");
	assert_string_equal(q->enterprise.credit_code, "91350100M000100Y43");
	assert_string_equal(q->enterprise.industry_code, "C3411");
	assert_string_equal(q->enterprise.size, "小微");
	assert_int_equal(q->enterprise.employees, 320);
	assert_int_equal(q->enterprise.tags_add, (1u << store_import_tag_index("专精特新")) |
	                                         (1u << store_import_tag_index("规上")));
	assert_int_equal(q->enterprise.tags_remove, 1u << store_import_tag_index("链主"));
	assert_string_equal(q->start_date, "2023-12-12");
	assert_null(q->term_end);
	assert_true(q->term_given);
	assert_int_equal(q->term_months, 60);
	assert_string_equal(q->status, "ended");
	assert_string_equal(q->ended_on, "2025-06-30");
	assert_null(q->remarks);
	assert_string_equal(q->person.education, "本科");
	assert_int_equal(p.n, 0);
}

/* One bad cell: exactly one problem, naming the column, the value and why. */
static void expect_bad(const struct file *f, const char *tsv, const char *problem)
{
	struct cells c;
	struct import_row row;
	struct problems p;

	if (read_row(f, tsv, &row, &c, &p) != -EINVAL)
		fail_msg("accepted: %s", tsv);
	if (p.n != 1 || strcmp(p.lines[0], problem) != 0)
		fail_msg("for %s\n got %zu: %s\nwant: %s", tsv, p.n, p.n ? p.lines[0] : "", problem);
}

/* The 企业首席质量官信息表 (seed 000) as a spreadsheet: its printed labels
 * (notes in brackets included) are the columns; 所在地 by name is left for
 * the database; what matches no column is known to be unknown. */
#define FORM_HEADER \
	"首席质量官姓名\t性别\t出生日期\t学历\t专业\t质量工作年限\t现任职务\t职称\t联系电话/手机\t" \
	"Email\t所在企业名称\t统一社会信用代码\t所属行业\t所在地\t企业员工数\t企业性质\t企业规模\t" \
	"主营业务/主要产品\t首席质量官工作简历 (包括取得的质量管理成果及经验、获奖情况等)\t" \
	"首席质量官聘任时间\t备注\t填表日期\t一寸照片"

static void test_form_as_written(void **state)
{
	struct file f;
	struct cells c;
	struct import_row row;
	struct problems p;
	(void)state;

	header(&f, IMPORT_CQOS, FORM_HEADER);
	for (size_t i = 0; i < 21; i++)
		if (import_header_unknown(&f.h, i))
			fail_msg("column %zu (%s) unknown", i, f.head.v[i]);
	assert_true(import_header_unknown(&f.h, 21));
	assert_true(import_header_unknown(&f.h, 22));
	assert_int_equal(f.h.at[IC_RESUME], 18);
	assert_int_equal(read_row(&f, "张三\t男\t1980-03-15\t本科\t机械工程\t12年\t副总经理\t"
	                              "高级工程师\t13800000001\tzs@example.com\t示例精密机械有限公司\t"
	                              "91350100M000100Y43\t制造业\t临沂市兰山区\t320\t民营\t中型企业\t"
	                              "数控机床\t2010年起从事质量工作\t2023年12月12日\t\t2026-11-01\t",
	                          &row, &c, &p), 0);
	const struct store_import_cqo *q = &row.in.cqo;
	assert_int_equal(p.n, 0);
	assert_string_equal(q->person.name, "张三");
	assert_string_equal(q->person.major, "机械工程");
	assert_int_equal(q->person.quality_years, 12);
	assert_string_equal(q->person.position, "副总经理");
	assert_string_equal(q->person.phone, "13800000001");
	assert_string_equal(q->person.email, "zs@example.com");
	assert_string_equal(q->person.resume, "2010年起从事质量工作");
	assert_string_equal(q->enterprise.name, "示例精密机械有限公司");
	assert_string_equal(q->enterprise.industry_code, "C");
	assert_int_equal(q->enterprise.employees, 320);
	assert_string_equal(q->enterprise.size, "中型");
	assert_string_equal(q->enterprise.main_products, "数控机床");
	assert_string_equal(q->start_date, "2023-12-12");
	assert_true(row.region_by_name);
	assert_string_equal(q->enterprise.region_code, "临沂市兰山区");
	/* A code is not a name. */
	header(&f, IMPORT_CQOS, CQO_HEADER);
	assert_int_equal(read_row(&f, "张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t"
	                              "\t\t\t2023-12-12\t\t\t\t\t", &row, &c, &p), 0);
	assert_false(row.region_by_name);
	assert_string_equal(row.in.cqo.enterprise.region_code, "371302");
}

static void test_cqo_refusals(void **state)
{
	static const struct {
		const char *row, *problem;
	} cases[] = {
		{"\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "姓名||" TXT_IMP_REQUIRED},
		{"张三\t未知\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "性别|未知|" TXT_V_GENDER},
		{"张三\t\t1980-02-30\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "出生日期|1980-02-30|" TXT_V_DATE_REAL},
		{"张三\t\t2030-01-01\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "出生日期|2030-01-01|" TXT_APPT_BIRTH_FUTURE},
		{"张三\t\t\t\t99\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "质量工作年限|99|质量工作年限应为 0 到 80 之间的整数"},
		{"张三\t\t\t\t\t12345\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "手机|12345|" TXT_V_PHONE},
		{"张三\t\t\t\t\t\tzs@\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "邮箱|zs@|" TXT_V_EMAIL},
		{"张三\t\t\t\t\t\t\t\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "企业名称||" TXT_IMP_REQUIRED},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y44\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "统一社会信用代码|91350100M000100Y44|统一社会信用代码校验位错误：应为 3"},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t3713\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "所在地区|3713|" TXT_APPT_REGION_LEVEL},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t37130x\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "所在地区|37130x|" TXT_V_REGION},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\tZ99\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "行业代码|Z99|" TXT_V_INDUSTRY},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t-5\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "职工人数|-5|职工人数应为 0 到 10000000 之间的整数"},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t巨型\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "企业规模|巨型|" TXT_V_SIZE},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t规上;上市\t\t\t\t2023-12-12\t\t\t\t\t",
		 "类别|规上;上市|“上市”不是企业类别：应为 规上、链主、好品、质量奖、专精特新、标杆、食品、药品、特种设备"},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t也许\t\t\t2023-12-12\t\t\t\t\t",
		 "规上|也许|" TXT_IMP_YES_NO},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t规上\t否\t\t\t2023-12-12\t\t\t\t\t",
		 "规上|否|" TXT_IMP_TAG_CONFLICT},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t\t\t\t\t\t",
		 "聘任日期||" TXT_IMP_REQUIRED},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t12/12/2023\t\t\t\t\t",
		 "聘任日期|12/12/2023|" TXT_V_DATE},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t2023-01-01\t\t\t\t",
		 "任期届满日期|2023-01-01|" TXT_IMP_TERM_ORDER},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t11\t\t\t",
		 "任期|11|任期（年）应为 1 到 10 之间的整数"},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t离职\t\t",
		 "状态|离职|" TXT_IMP_STATUS_BAD},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t已解聘\t2020-01-01\t",
		 "终止日期|2020-01-01|" TXT_IMP_ENDED_ORDER},
		{"张三\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t在任\t2024-01-01\t",
		 "终止日期|2024-01-01|" TXT_IMP_ENDED_ACTIVE},
		{"张三\n李四\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "姓名|张三\n李四|" TXT_IMP_ONE_LINE},
		{"张三四五六七八九十一二三四五六七八九十一二\t\t\t\t\t\t\t示例\t91350100M000100Y43\t371302\t\t\t\t\t\t\t\t2023-12-12\t\t\t\t\t",
		 "姓名|张三四五六七八九十一二三四五六七八九十一二|过长：最多 20 个字"},
	};
	struct file f;
	(void)state;

	header(&f, IMPORT_CQOS, CQO_HEADER);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_bad(&f, cases[i].row, cases[i].problem);
}

static void test_every_problem_reported(void **state)
{
	struct file f;
	struct cells c;
	struct import_row row;
	struct problems p;
	(void)state;

	header(&f, IMPORT_CQOS, CQO_HEADER);
	assert_int_equal(read_row(&f, "\t女人\t\t\t\t1\t\t\t123\t99\t\t\t\t\t\t\t\t昨天\t\t\t\t\t",
	                          &row, &c, &p), -EINVAL);
	assert_int_equal(p.n, 7);
	assert_string_equal(p.lines[0], "姓名||" TXT_IMP_REQUIRED);
	assert_string_equal(p.lines[1], "性别|女人|" TXT_V_GENDER);
	assert_string_equal(p.lines[2], "手机|1|" TXT_V_PHONE);
	assert_string_equal(p.lines[3], "统一社会信用代码|123|统一社会信用代码应为 18 位，实际为 3 位");
	assert_string_equal(p.lines[4], "企业名称||" TXT_IMP_REQUIRED);
	assert_string_equal(p.lines[5], "所在地区|99|" TXT_APPT_REGION_LEVEL);
	assert_string_equal(p.lines[6], "聘任日期|昨天|" TXT_V_DATE);
}

static void test_enterprise_rows(void **state)
{
	struct file f;
	struct cells c;
	struct import_row row;
	struct problems p;
	(void)state;

	header(&f, IMPORT_ENTERPRISES,
	       "统一社会信用代码\t企业名称\t所在地区\t联系人\t联系电话\t专精特新\t质量标杆");
	assert_int_equal(read_row(&f, "91350100M000100Y43\t示例\t350102\t王五\t0591-87654321\t1\t×",
	                          &row, &c, &p), 0);
	const struct store_import_enterprise *e = &row.in.enterprise;
	assert_string_equal(e->contact_name, "王五");
	assert_string_equal(e->contact_phone, "0591-87654321");
	assert_int_equal(e->tags_add, 1u << store_import_tag_index("专精特新"));
	assert_int_equal(e->tags_remove, 1u << store_import_tag_index("标杆"));
	assert_int_equal(e->employees, -1);
	assert_ptr_equal(import_row_enterprise(IMPORT_ENTERPRISES, &row), e);
	expect_bad(&f, "91350100M000100Y43\t示例\t350102\t\t123\t\t",
	           "联系电话|123|" TXT_V_PHONE);
	/* The formula guard of exports comes off again. */
	assert_int_equal(read_row(&f, "91350100M000100Y43\t'=示例\t350102\t\t\t\t", &row, &c, &p), 0);
	assert_string_equal(row.in.enterprise.name, "=示例");
}

#define TRAINING_HEADER "姓名\t统一社会信用代码\t培训类型\t培训日期\t学时\t证书号\t级别\t层次"

static void test_training_rows(void **state)
{
	struct file f;
	struct cells c;
	struct import_row row;
	struct problems p;
	(void)state;

	header(&f, IMPORT_TRAININGS, TRAINING_HEADER);
	assert_int_equal(read_row(&f, "张三\t91350100M000100Y43\t年度继续教育\t2026.3.1\t8.5\tC-1\t省级\t提升",
	                          &row, &c, &p), 0);
	const struct store_import_training *t = &row.in.training;
	assert_string_equal(t->kind, "继续教育");
	assert_string_equal(t->date, "2026-03-01");
	assert_true(t->hours == 8.5);
	assert_string_equal(t->level, "省");
	assert_string_equal(t->tier, "提升");
	assert_null(import_row_enterprise(IMPORT_TRAININGS, &row));
	expect_bad(&f, "张三\t91350100M000100Y43\t讲座\t2026-03-01\t8\t\t\t",
	           "培训类型|讲座|培训类型“讲座”无效，应为：任职培训、继续教育、线上自学");
	expect_bad(&f, "张三\t91350100M000100Y43\t任职培训\t2027-01-01\t8\t\t\t",
	           "培训日期|2027-01-01|培训日期不能晚于今天（" TODAY "）");
	expect_bad(&f, "张三\t91350100M000100Y43\t任职培训\t2026-01-01\t0\t\t\t",
	           "学时|0|" TXT_V_HOURS);
	expect_bad(&f, "张三\t91350100M000100Y43\t任职培训\t2026-01-01\t8\t\t乡级\t",
	           "级别|乡级|级别“乡级”无效，应为：国家、省、市、县（也可写作省级、市级、县级）");
	expect_bad(&f, "张三\t91350100M000100Y43\t任职培训\t2026-01-01\t8\t\t\t初级",
	           "层次|初级|层次“初级”无效，应为：高级 或 提升");
	expect_bad(&f, "张三\t\t任职培训\t2026-01-01\t8\t\t\t",
	           "统一社会信用代码||" TXT_IMP_REQUIRED);
}

#define SANCTION_HEADER "姓名\t统一社会信用代码\t处理类型\t依据\t事由\t处理日期\t约谈时间\t约谈地点\t整改期限\t状态"

static void test_sanction_rows(void **state)
{
	struct file f;
	struct cells c;
	struct import_row row;
	struct problems p;
	(void)state;

	header(&f, IMPORT_SANCTIONS, SANCTION_HEADER);
	assert_int_equal(read_row(&f, "张三\t91350100M000100Y43\t约谈\t知情不报\t未及时报告\t2026-11-01\t"
	                              "2026-11-05 14:30\t三楼会议室\t2026-12-31\t已结",
	                          &row, &c, &p), 0);
	const struct store_import_sanction *s = &row.in.sanction;
	assert_string_equal(s->kind, "约谈");
	assert_string_equal(s->ground, "知情不报");
	assert_string_equal(s->issued_on, "2026-11-01");
	assert_int_equal(s->scheduled_at, 1793860200);   /* 2026-11-05 06:30 UTC */
	assert_string_equal(s->rectify_by, "2026-12-31");
	assert_string_equal(s->status, "closed");
	expect_bad(&f, "张三\t91350100M000100Y43\t罚款\t违法违规\t\t2026-11-01\t\t\t\t",
	           "处理类型|罚款|" TXT_IMP_SAN_KIND_BAD);
	expect_bad(&f, "张三\t91350100M000100Y43\t警示\t态度\t\t2026-11-01\t\t\t\t",
	           "依据|态度|" TXT_IMP_GROUND_BAD);
	expect_bad(&f, "张三\t91350100M000100Y43\t警示\t其他\t\t2026-12-01\t\t\t\t",
	           "处理日期|2026-12-01|" TXT_IMP_ISSUED_FUTURE);
	expect_bad(&f, "张三\t91350100M000100Y43\t警示\t其他\t\t2026-11-01\t\t会议室\t\t",
	           "约谈地点|会议室|" TXT_IMP_SUMMONS_ONLY);
	expect_bad(&f, "张三\t91350100M000100Y43\t约谈\t其他\t\t2026-11-01\t明天下午\t\t\t",
	           "约谈时间|明天下午|" TXT_V_DATETIME);
	expect_bad(&f, "张三\t91350100M000100Y43\t警示\t其他\t\t2026-11-01\t\t\t\t作废",
	           "状态|作废|" TXT_IMP_SAN_STATUS_BAD);
}

int main(void)
{
	log_init(LOG_LEVEL_WARN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_kinds_and_columns),
		cmocka_unit_test(test_good_cqo_row),
		cmocka_unit_test(test_form_as_written),
		cmocka_unit_test(test_cqo_refusals),
		cmocka_unit_test(test_every_problem_reported),
		cmocka_unit_test(test_enterprise_rows),
		cmocka_unit_test(test_training_rows),
		cmocka_unit_test(test_sanction_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
