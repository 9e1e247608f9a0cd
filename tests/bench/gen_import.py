"""Writes a realistic, clearly fictional 企业首席质量官信息表 as CSV for
cqoctl import: one CQO per row with their enterprise, county codes taken from
data/regions.csv, valid credit codes, a mix of statuses and categories, and
free text with commas, quotes and line breaks. Used by make bench
(tests/bench/import.sh) and the cqoctl integration tests.

Usage: gen_import.py N OUT.csv [--encoding utf-8|utf-8-sig|gbk] [--seed S]
"""
import argparse
import csv
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林欣晨阳佳琪雪梅"
EDUCATION = ["大专", "本科", "本科", "硕士研究生", "博士研究生", "大学本科"]
MAJORS = ["机械工程", "食品科学与工程", "化学工程", "质量管理工程", "材料科学", "电气工程", "药学"]
POSITIONS = ["副总经理", "质量总监", "质量部部长", "总工程师", "生产副总"]
TITLES = ["工程师", "高级工程师", "正高级工程师", "助理工程师", "主管药师", "中级"]
INDUSTRIES = ["C13", "C14", "C17", "C26", "C27", "C34", "C35", "C38", "C39", "C3411"]
NATURES = ["有限责任公司", "股份有限公司", "国有企业", "民营企业", "外商投资企业"]
SIZES = ["大型", "中型", "小微", "小型"]
WORDS = ["精密机械", "食品", "纺织", "化工", "特种设备", "电子科技", "医药", "新材料", "汽车零部件"]
CATEGORIES = ["规上", "规上;专精特新", "规上;链主", "好品;食品", "质量奖", "规上;标杆",
              "药品", "特种设备;规上", ""]


def check_char(body):
    total = sum(CHARSET.index(c) * w for c, w in zip(body, WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def credit_code(region, i):
    # 91 (enterprise), the county code, a made-up organisation code.
    org = "T" + "".join(CHARSET[(i // 31 ** k) % 31] for k in range(8))
    body = "91" + region + org[:9]
    return body + check_char(body)


def counties():
    with open(os.path.join(ROOT, "data", "regions.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [(r["code"], r["name"]) for r in rows if r["level"] == "3"]


HEADER = ["姓名", "性别", "出生日期", "学历", "专业", "质量工作年限", "职务", "职称", "手机", "邮箱",
          "企业名称", "统一社会信用代码", "所在地区", "行业代码", "职工人数", "企业性质", "企业规模",
          "主要产品", "类别", "聘任文件号", "聘任日期", "任期届满日期", "状态", "终止日期", "备注",
          "工作简历"]


def row(i, rnd, places):
    code, county = places[i % len(places)]
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + \
        GIVEN[(i // (len(SURNAMES) * len(GIVEN))) % len(GIVEN)]
    year = rnd.randint(2019, 2025)
    start = "%d-%02d-%02d" % (year, rnd.randint(1, 12), rnd.randint(1, 28))
    status, ended, term_end = "在任", "", ""
    if i % 10 == 7:
        status, term_end = "任期结束", "%d-%s" % (year + 3, start[5:])
        ended = term_end
    word = WORDS[i % len(WORDS)]
    resume = ""
    if i % 5 == 0:
        resume = "%d年起从事质量管理工作，\n主持\"零缺陷\"项目, 获%s质量奖（示例）" % (year - 10, county)
    return [
        name, "男" if i % 3 else "女",
        "%d-%02d-%02d" % (rnd.randint(1965, 1992), rnd.randint(1, 12), rnd.randint(1, 28)),
        EDUCATION[i % len(EDUCATION)], MAJORS[i % len(MAJORS)], str(rnd.randint(3, 30)),
        POSITIONS[i % len(POSITIONS)], TITLES[i % len(TITLES)],
        "1%d%09d" % (3 + i % 7, i), "cqo%d@example.com" % i,
        "%s%s示例有限公司%d" % (county, word, i), credit_code(code, i), code,
        INDUSTRIES[i % len(INDUSTRIES)], str(rnd.randint(20, 5000)), NATURES[i % len(NATURES)],
        SIZES[i % len(SIZES)], "%s产品（示例）, 第%d类" % (word, i % 9 + 1),
        CATEGORIES[i % len(CATEGORIES)], "示聘字〔%d〕第%d号" % (year, i), start, term_end,
        status, ended, "示例数据，不对应真实企业" if i % 4 == 0 else "", resume,
    ]


def write(n, path, encoding="utf-8", seed=1):
    rnd = random.Random(seed)
    places = counties()
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for i in range(n):
            w.writerow(row(i, rnd, places))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--encoding", default="utf-8")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    write(a.n, a.out, a.encoding, a.seed)


if __name__ == "__main__":
    main()
