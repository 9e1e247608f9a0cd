"""cqoctl export --format xlsx: the workbook opened with zipfile and read
cell by cell. The statistics have one sheet per category holding the same
cells as the CSV export (numbers as numbers, rates with a percent format),
a title row, a frozen header, column widths and a bar chart of each
sub-region's 聘任率 against its target; registry and signups one sheet with
the CSV's columns. Files are 0600 and no temporary file is left, also when
the export fails.

Time is pinned (CQOD_FAKE_NOW) to 2026-06-15."""
import csv
import io
import os
import re
import stat
import zipfile
import xml.etree.ElementTree as ET

from alliance_common import World, publish
from test_cqoctl import ctl, daemon, gen_import, ok

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
      "c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
RID = "{%s}id" % NS["r"]


class Book:
    """An .xlsx read with zipfile: sheets by name, cells by reference."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.strings = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
                        for si in self.xml("xl/sharedStrings.xml").findall("m:si", NS)]
        styles = self.xml("xl/styles.xml")
        formats = {int(f.get("numFmtId")): f.get("formatCode")
                   for f in styles.findall("m:numFmts/m:numFmt", NS)}
        self.xf_formats = [formats.get(int(xf.get("numFmtId", "0")))
                           for xf in styles.findall("m:cellXfs/m:xf", NS)]
        rels = self.rels("xl/workbook.xml")
        self.sheets = {}
        for s in self.xml("xl/workbook.xml").findall("m:sheets/m:sheet", NS):
            self.sheets[s.get("name")] = "xl/" + rels[s.get(RID)]
        self.names = [s.get("name") for s in
                      self.xml("xl/workbook.xml").findall("m:sheets/m:sheet", NS)]

    def xml(self, name):
        return ET.fromstring(self.zip.read(name))

    def rels(self, part):
        folder, base = os.path.split(part)
        path = os.path.join(folder, "_rels", base + ".rels")
        return {r.get("Id"): r.get("Target")
                for r in self.xml(path).findall("pr:Relationship", NS)}

    def sheet(self, name):
        return self.xml(self.sheets[name])

    def cells(self, name):
        """{ "A1": (value, number format or None) }: strings as str, numbers as float."""
        out = {}
        for c in self.sheet(name).iter("{%s}c" % NS["m"]):
            v = c.find("m:v", NS)
            if v is None:
                continue
            value = self.strings[int(v.text)] if c.get("t") == "s" else float(v.text)
            out[c.get("r")] = (value, self.xf_formats[int(c.get("s", "0"))])
        return out

    def chart(self, name):
        """The chart XML of a sheet (through its drawing), or None."""
        drawing = self.sheet(name).find("m:drawing", NS)
        if drawing is None:
            return None
        sheet_part = self.sheets[name]
        target = self.rels(sheet_part)[drawing.get(RID)]
        drawing_part = os.path.normpath(os.path.join(os.path.dirname(sheet_part), target))
        chart = list(self.rels(drawing_part).values())[0]
        return self.xml(os.path.normpath(os.path.join(os.path.dirname(drawing_part), chart)))


def col(n):
    """Column letters of a 0-based index: A .. Z, AA .. ."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def row_values(cells, r, n):
    return [cells.get("%s%d" % (col(i), r), ("", None))[0] for i in range(n)]


def csv_rows(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def export_dir(d):
    path = os.path.join(d.dir, "out")
    os.makedirs(path, exist_ok=True)
    d._own()
    return path


def assert_private(path):
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode == 0o600, oct(mode)


def same_cell(xlsx_value, fmt, csv_value):
    """A CSV cell ("66.7%", "差 10.0 个百分点", "3", "未设定") against the workbook's."""
    if isinstance(xlsx_value, str):
        return xlsx_value == csv_value
    gap = re.fullmatch(r"差 (\d+\.\d) 个百分点", csv_value)
    if gap:
        return fmt == "0.0%" and "%.1f" % (xlsx_value * 100) == gap.group(1)
    if csv_value.endswith("%"):
        return fmt == "0.0%" and "%.1f%%" % (xlsx_value * 100) == csv_value
    return fmt == "0" and xlsx_value == float(csv_value)


def test_stats_workbook_cell_by_cell():
    d = daemon()
    with d:
        ok(d, "target", "set", "3713", "规上", "2026", "60%")
        ok(d, "target", "set", "371311", "规上", "2026", "0.5")
        gen = os.path.join(d.dir, "gen.csv")
        gen_import.write(60, gen)
        d._own()
        ok(d, "import", "cqos", gen)
        out = export_dir(d)
        path = os.path.join(out, "统计表.xlsx")
        ok(d, "export", "stats", "--region", "3713", "--year", "2026", "--format", "xlsx",
           "-o", path)
        assert sorted(os.listdir(out)) == ["统计表.xlsx"], os.listdir(out)
        assert_private(path)

        table = csv_rows(ok(d, "export", "stats", "--region", "3713", "--year", "2026"))
        header, body = table[0], table[1:]
        categories = []
        for r in body:
            if r[2] not in categories:
                categories.append(r[2])
        book = Book(path)
        assert book.names == categories, (book.names, categories)

        for category in categories:
            cells = book.cells(category)
            want = [r for r in body if r[2] == category]
            title = cells["A1"][0]
            assert title == "临沂市（3713） · %s企业首席质量官统计（2026 年）" % category, title
            assert row_values(cells, 2, 11) == header[:2] + header[4:], row_values(cells, 2, 11)
            for i, r in enumerate(want):
                csv_cells = r[:2] + r[4:]
                for j, v in enumerate(csv_cells):
                    got = cells.get("%s%d" % (col(j), 3 + i), ("", None))
                    assert same_cell(got[0], got[1], v), (category, i, j, got, v)
            assert "%s%d" % ("A", 3 + len(want)) not in cells
            assert cells["A%d" % (4 + len(want))][0] == "按 2026-06-15 的在任情况统计。"

            sheet = book.sheet(category)
            pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
            assert pane.get("ySplit") == "2" and pane.get("state") == "frozen", pane.attrib
            assert sheet.find("m:mergeCells/m:mergeCell", NS).get("ref") == "A1:K1"
            widths = [float(c.get("width")) for c in sheet.findall("m:cols/m:col", NS)]
            assert len(widths) == 11 and widths[1] >= 6, widths

            # The chart: one bar per sub-region (not the total) for 聘任率 and 目标.
            chart = book.chart(category)
            regions = len([r for r in want if r[1] != "合计"])
            if regions == 0:
                assert chart is None, category
                continue
            assert chart.find(".//c:barChart", NS) is not None, category
            refs = [f.text for f in chart.iter("{%s}f" % NS["c"])]
            q = "'%s'!" % category

            def span(c):
                return q + ("$%s$3" % c if regions == 1 else "$%s$3:$%s$%d" % (c, c, 2 + regions))
            assert refs == [q + "$E$2", span("B"), span("E"), q + "$F$2", span("B"), span("F")], refs

        # The targets are numbers in percent, the regions' own or inherited.
        cells = book.cells("规上")
        rows = {cells["B%d" % r][0]: r for r in range(3, 3 + 20) if "B%d" % r in cells}
        assert cells["F%d" % rows["罗庄区"]] == (0.5, "0.0%"), cells["F%d" % rows["罗庄区"]]
        assert cells["F%d" % rows["合计"]] == (0.6, "0.0%")
        assert len(book.zip.namelist()) == len(set(book.zip.namelist()))


def test_registry_and_signups_workbooks():
    d = daemon()
    with d:
        out = export_dir(d)
        path = os.path.join(out, "registry.xlsx")
        ok(d, "export", "registry", "--region", "3713", "--format", "xlsx", "-o", path)
        assert_private(path)
        book = Book(path)
        assert book.names == ["首席质量官备案"], book.names
        cells = book.cells("首席质量官备案")
        assert cells["A1"][0] == "首席质量官备案（2026-06-15 导出）", cells["A1"]
        table = csv_rows(ok(d, "export", "registry", "--region", "3713"))
        n = len(table[0])
        assert row_values(cells, 2, n) == table[0]
        for i, r in enumerate(table[1:]):
            got = row_values(cells, 3 + i, n)
            assert [("%d" % v if isinstance(v, float) else v) for v in got] == r, (got, r)
        assert isinstance(cells["A3"][0], float) and cells["A3"][1] == "0", cells["A3"]
        assert "A%d" % (3 + len(table) - 1) not in cells

        # Sign-ups: none in the demo, so no file and a clear error.
        path = os.path.join(out, "signups.xlsx")
        rc, _, err = ctl(d, "export", "signups", "--format", "xlsx", "-o", path)
        assert rc == 1 and "没有可导出的数据" in err and err.count("\n") == 1, (rc, err)
        assert sorted(os.listdir(out)) == ["registry.xlsx"], os.listdir(out)


def test_signups_workbook():
    with World() as w:
        ev = publish(w)
        w.say("报名 %d" % ev, "zs")
        w.say("报名 %d" % ev, "zl")
        path = os.path.join(w.d.dir, "signups.xlsx")
        w.d.ctl("export", "signups", "--event", str(ev), "--format", "xlsx", "-o", path)
        assert_private(path)
        book = Book(path)
        cells = book.cells("活动报名")
        table = csv_rows(w.d.ctl("export", "signups", "--event", str(ev)))
        n = len(table[0])
        assert row_values(cells, 2, n) == table[0], row_values(cells, 2, n)
        assert len(table) == 3, table
        for i, r in enumerate(table[1:]):
            got = row_values(cells, 3 + i, n)
            assert [("%d" % v if isinstance(v, float) else v) for v in got] == r, (got, r)
        assert cells["A3"] == (float(ev), "0"), cells["A3"]
        assert "张三" in row_values(cells, 3, n) + row_values(cells, 4, n)


def test_xlsx_errors_and_modes():
    d = daemon()
    with d:
        out = export_dir(d)
        for args, status, why in (
                (["export", "stats", "--format", "xlsx"], 2, "xlsx 格式须用 -o 指定输出文件"),
                (["export", "stats", "--format", "xlsx", "-o", "-"], 2, "须用 -o"),
                (["export", "stats", "--format", "xlsx", "-o", "/nonexistent/x.xlsx"], 1,
                 "/nonexistent/x.xlsx：No such file or directory"),
                (["export", "stats", "--format", "xlsx", "--region", "11", "-o",
                  os.path.join(out, "none.xlsx")], 1, "没有可导出的数据，未生成文件"),
                (["export", "stats", "--format", "xlsx", "-o", out], 1, "失败"),
                (["export", "registry", "--format", "xls"], 2, "格式应为 csv、json 或 xlsx")):
            rc, _, err = ctl(d, *args)
            assert rc == status and why in err and err.count("\n") == 1, (args, rc, err)
            assert err.startswith("cqoctl export"), err
        assert os.listdir(out) == [], os.listdir(out)
        assert not [f for f in os.listdir(d.dir) if re.match(r"^\.out\.", f)], os.listdir(d.dir)

        # A file already there, readable by all, is replaced by a private one.
        path = os.path.join(out, "stats.xlsx")
        with open(path, "w") as f:
            f.write("old")
        os.chmod(path, 0o644)
        d._own()
        ok(d, "export", "stats", "--format", "xlsx", "-o", path)
        assert_private(path)
        assert zipfile.is_zipfile(path)
        assert os.listdir(out) == ["stats.xlsx"], os.listdir(out)
