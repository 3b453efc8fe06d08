#!/usr/bin/python3
"""Makes test/fixtures/corpus: workbooks written by a real spreadsheet program (LibreOffice Calc).

kam must give back every part of a user's workbook that it has no reason to touch. Workbooks that
exceljs writes are too plain to prove it, so these are built through LibreOffice's own API (UNO) and
saved by its Excel export filters: charts, a table, a pivot table, a macro module, comments, rich
text, merged cells, validation, conditional formats, hyperlinks, formulas and dates.

Needs LibreOffice Calc and its Python bridge (Debian: libreoffice-calc python3-uno). Run with the
system Python:   /usr/bin/python3 scripts/make-corpus.py [OUT_DIR]   (default test/fixtures/corpus)
It starts a headless soffice of its own, with a throw-away profile, and stops it when done.
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

import uno
from com.sun.star.awt import Rectangle
from com.sun.star.beans import PropertyValue
from com.sun.star.table import CellAddress, CellRangeAddress

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, 'test', 'fixtures', 'corpus')

# The accounts: criterion columns kam recognises, plus columns a real sheet has around them.
HEADERS = ['Account', 'Annual sales', 'Gross margin', 'Growth', 'Days to pay', 'Wallet',
           'Access to goals', 'Openness to ideas', 'Last order', 'Sales per day', 'Website', 'Notes',
           'Call at', 'Active', 'Sales check']
ACCOUNTS = [
    # account, sales, margin, growth, days, wallet, access, openness, last order
    ('Acme Holdings', 1250000, 0.31, 0.12, 32, 4000000, 5, 4, datetime.date(2025, 3, 14)),
    ('Borealis Trading', 820000, 0.22, 0.05, 45, 2500000, 4, 3, datetime.date(2025, 1, 2)),
    ('Cobalt Foods', 430000, 0.18, -0.02, 61, 900000, 3, 3, datetime.date(2024, 11, 30)),
    ('Dynamo Parts', 2100000, 0.12, 0.30, 28, 5000000, 5, 5, datetime.date(2025, 6, 1)),
    ('Eastwind Retail', 150000, 0.35, 0.08, 95, 300000, 2, 2, datetime.date(2024, 2, 29)),
    ('Fjord Logistics', 990000, 0.27, 0.00, 38, 1800000, 4, 4, datetime.date(2025, 5, 20)),
    ('Granite & Sons', 610000, 0.09, -0.10, 72, 700000, 1, 2, datetime.date(2023, 12, 31)),
    ('Harbour Pharma', 1750000, 0.41, 0.18, 30, 2600000, 5, 4, datetime.date(2025, 4, 7)),
    ('Ironbark Mining', 3300000, 0.15, 0.04, 55, 3500000, 3, 1, datetime.date(2025, 2, 14)),
    ('Jade Textiles', 275000, 0.24, 0.22, 40, 1200000, 4, 5, datetime.date(2024, 8, 15)),
]
CONTACTS = [('Account', 'Name', 'Role', 'Stance'),
            ('Acme Holdings', 'Maria Lopez', 'Buyer', 'Supporter'),
            ('Borealis Trading', '王芳', '采购经理', '支持'),
            ('Dynamo Parts', 'Sven Olsen', 'CFO', 'Neutral'),
            ('Harbour Pharma', 'Aiko Tanaka', 'Head of supply', 'Sceptic')]
EPOCH = datetime.date(1899, 12, 30)  # Excel's (and LibreOffice's default) serial date zero


def serial(d):
    return (d - EPOCH).days


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def cell_range(sheet_index, c0, r0, c1, r1):
    a = CellRangeAddress()
    a.Sheet, a.StartColumn, a.StartRow, a.EndColumn, a.EndRow = sheet_index, c0, r0, c1, r1
    return a


def cell_address(sheet_index, c, r):
    a = CellAddress()
    a.Sheet, a.Column, a.Row = sheet_index, c, r
    return a


def col_name(c):
    return chr(ord('A') + c)


class Office:
    """A headless soffice reached through a named pipe, with a profile of its own."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix='kam-corpus-lo-')
        self.pipe = 'kamcorpus%d' % os.getpid()
        self.proc = subprocess.Popen(
            ['soffice', '-env:UserInstallation=file://' + self.profile, '--headless', '--invisible',
             '--norestore', '--nologo', '--nodefault', '--accept=pipe,name=%s;urp;' % self.pipe],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext('com.sun.star.bridge.UnoUrlResolver', local)
        for _ in range(120):
            try:
                self.ctx = resolver.resolve('uno:pipe,name=%s;urp;StarOffice.ComponentContext' % self.pipe)
                break
            except Exception:  # not listening yet
                time.sleep(0.5)
        else:
            raise RuntimeError('soffice did not start')
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext('com.sun.star.frame.Desktop', self.ctx)
        self.version = self.config('/org.openoffice.Setup/Product', 'ooSetupVersionAboutBox')

    def config(self, path, name):
        provider = self.smgr.createInstanceWithContext('com.sun.star.configuration.ConfigurationProvider', self.ctx)
        access = provider.createInstanceWithArguments('com.sun.star.configuration.ConfigurationAccess', (prop('nodepath', path),))
        return access.getPropertyValue(name)

    def new_calc(self):
        return self.desktop.loadComponentFromURL('private:factory/scalc', '_blank', 0, (prop('Hidden', True),))

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:  # the bridge drops as soffice exits
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def number_format(doc, code):
    formats = doc.getNumberFormats()
    locale = uno.createUnoStruct('com.sun.star.lang.Locale')
    key = formats.queryKey(code, locale, False)
    return key if key != -1 else formats.addNew(code, locale)


def fill_accounts(doc, sheet, first_row=0, rows=ACCOUNTS):
    """The accounts table at first_row: values, a serial date column, a formula, a link, notes."""
    for c, h in enumerate(HEADERS):
        sheet.getCellByPosition(c, first_row).setString(h)
    date_fmt = number_format(doc, 'YYYY-MM-DD')
    pct_fmt = number_format(doc, '0.0%')
    money_fmt = number_format(doc, '#,##0')
    time_fmt = number_format(doc, 'HH:MM')
    for i, (name, sales, margin, growth, days, wallet, access, openness, last) in enumerate(rows):
        r = first_row + 1 + i
        sheet.getCellByPosition(0, r).setString(name)
        for c, v in enumerate([sales, margin, growth, days, wallet, access, openness], start=1):
            sheet.getCellByPosition(c, r).setValue(v)
        sheet.getCellByPosition(1, r).NumberFormat = money_fmt
        sheet.getCellByPosition(2, r).NumberFormat = pct_fmt
        sheet.getCellByPosition(3, r).NumberFormat = pct_fmt
        day = sheet.getCellByPosition(8, r)
        day.setValue(serial(last))
        day.NumberFormat = date_fmt
        # A formula whose cached result the file keeps.
        sheet.getCellByPosition(9, r).setFormula('=ROUND(B%d/365;2)' % (r + 1))
        # A time of day, a boolean (a formula, so the file has t="b"), and on one row an error value.
        call = sheet.getCellByPosition(12, r)
        call.setValue((9 + i % 8) / 24 + (15 * (i % 4)) / 1440)
        call.NumberFormat = time_fmt
        sheet.getCellByPosition(13, r).setFormula('=TRUE()' if i % 3 else '=FALSE()')
        sheet.getCellByPosition(14, r).setFormula('=B%d/(E%d-32)' % (r + 1, r + 1) if i == 0 else '=B%d>500000' % (r + 1))
    header_style = sheet.getCellRangeByPosition(0, first_row, len(HEADERS) - 1, first_row)
    header_style.CharWeight = 150.0  # bold
    header_style.CellBackColor = 0xDDEBF7
    return first_row + len(rows)  # the last data row (0-based)


def add_rich_text(sheet, c, r, bold_chars):
    """Makes the first bold_chars characters of a cell bold and red: a rich-text run in the file."""
    cell = sheet.getCellByPosition(c, r)
    cursor = cell.createTextCursor()
    cursor.gotoStart(False)
    cursor.goRight(bold_chars, True)
    cursor.CharWeight = 150.0
    cursor.CharColor = 0xC00000


def add_hyperlink(doc, sheet, c, r, url, text):
    cell = sheet.getCellByPosition(c, r)
    field = doc.createInstance('com.sun.star.text.TextField.URL')
    field.URL = url
    field.Representation = text
    cell.getText().insertTextContent(cell.getText().createTextCursor(), field, False)


def add_comment(sheet, c, r, text):
    sheet.getAnnotations().insertNew(cell_address(0, c, r), text)


def add_validation(sheet, rng):
    from com.sun.star.sheet.ValidationType import WHOLE
    from com.sun.star.sheet.ConditionOperator import BETWEEN
    target = sheet.getCellRangeByName(rng)
    v = target.Validation
    v.Type = WHOLE
    v.setOperator(BETWEEN)
    v.setFormula1('0')
    v.setFormula2('365')
    v.ShowErrorMessage = True
    v.ErrorMessage = 'Days to pay: a whole number of days, 0 to 365'
    target.Validation = v


def add_conditional_format(sheet, rng):
    from com.sun.star.sheet.ConditionOperator import LESS
    target = sheet.getCellRangeByName(rng)
    cf = target.ConditionalFormat
    cf.addNew((prop('Operator', LESS), prop('Formula1', '0.15'), prop('StyleName', 'Bad')))
    target.ConditionalFormat = cf


def add_chart(sheet, sheet_index, last_row):
    rect = Rectangle()
    rect.X, rect.Y, rect.Width, rect.Height = 2000, 9000, 16000, 8000
    # Account names and annual sales.
    ranges = (cell_range(sheet_index, 0, 0, 1, last_row),)
    sheet.getCharts().addNewByName('SalesChart', rect, ranges, True, True)


def add_image(office, doc, sheet, png):
    """A picture anchored on the sheet: an xl/media part beside the chart's drawing."""
    provider = office.smgr.createInstanceWithContext('com.sun.star.graphic.GraphicProvider', office.ctx)
    graphic = provider.queryGraphic((prop('URL', uno.systemPathToFileUrl(png)),))
    shape = doc.createInstance('com.sun.star.drawing.GraphicObjectShape')
    shape.Graphic = graphic
    size = uno.createUnoStruct('com.sun.star.awt.Size')
    size.Width, size.Height = 1500, 1500
    pos = uno.createUnoStruct('com.sun.star.awt.Point')
    pos.X, pos.Y = 19000, 9000
    sheet.DrawPage.add(shape)
    shape.setSize(size)
    shape.setPosition(pos)


def add_user_name(doc, sheet_name):
    """A defined name of the user's own, which must survive beside kam's names."""
    doc.NamedRanges.addNewByName('TopAccounts', "$'%s'.$A$2:$A$4" % sheet_name, cell_address(0, 0, 0), 0)


def add_table(doc, sheet_index, last_row, name='AccountsTable'):
    """A named database range with an AutoFilter: LibreOffice exports it as an Excel table."""
    ranges = doc.DatabaseRanges
    ranges.addNewByName(name, cell_range(sheet_index, 0, 0, len(HEADERS) - 1, last_row))
    ranges.getByName(name).AutoFilter = True


def add_pivot(doc, source_index, last_row, target_sheet):
    from com.sun.star.sheet.DataPilotFieldOrientation import ROW, DATA
    from com.sun.star.sheet.GeneralFunction import SUM
    source = doc.Sheets.getByIndex(source_index)
    tables = source.getDataPilotTables()
    desc = tables.createDataPilotDescriptor()
    desc.setSourceRange(cell_range(source_index, 0, 0, 8, last_row))
    fields = desc.getDataPilotFields()
    fields.getByName('Access to goals').Orientation = ROW
    sales = fields.getByName('Annual sales')
    sales.Orientation = DATA
    sales.Function = SUM
    target_index = [doc.Sheets.getByIndex(i).Name for i in range(doc.Sheets.Count)].index(target_sheet.Name)
    tables.insertNewByName('SalesByAccess', cell_address(target_index, 0, 2), desc)


def add_external_link(office, sheet, c, r):
    """A formula that reads a cell of another workbook: an xl/externalLinks part with its cache."""
    other = office.new_calc()
    prices = other.Sheets.getByIndex(0)
    prices.Name = 'Targets'
    prices.getCellByPosition(0, 0).setString('Sales target')
    prices.getCellByPosition(1, 0).setValue(12000000)
    target = os.path.join(OUT, 'external-targets.xlsx')  # kept beside, so the link is relative
    other.storeToURL(uno.systemPathToFileUrl(target), (prop('FilterName', XLSX),))
    other.close(True)
    sheet.getCellByPosition(c, r).setString('Sales target (from external-targets.xlsx)')
    sheet.getCellByPosition(c + 1, r).setFormula("='%s'#$Targets.B1" % uno.systemPathToFileUrl(target))


def add_contacts(doc, sheet):
    for r, row in enumerate(CONTACTS):
        for c, v in enumerate(row):
            sheet.getCellByPosition(c, r).setString(v)
    sheet.getCellRangeByPosition(0, 0, 3, 0).CharWeight = 150.0
    sheet.getCellByPosition(4, 0).setString('Name length')
    sheet.getCellByPosition(4, 1).setFormula('=LEN(B2)')
    sheet.getCellRangeByName('A7:D7').merge(True)
    sheet.getCellByPosition(0, 6).setString('Contacts are reviewed each quarter.')


def add_macro(doc):
    """A Basic module in VBA mode: LibreOffice exports it as xl/vbaProject.bin (its VBA export writes
    the project only when the library container is in VBA compatibility mode, from the library
    named after the project)."""
    from com.sun.star.script import ModuleInfo
    from com.sun.star.script.ModuleType import NORMAL
    basic = doc.BasicLibraries
    basic.VBACompatibilityMode = True
    basic.ProjectName = 'VBAProject'
    lib = basic.getByName('VBAProject') if basic.hasByName('VBAProject') else basic.createLibrary('VBAProject')
    info = ModuleInfo()
    info.ModuleType = NORMAL
    lib.insertModuleInfo('KamCorpus', info)
    lib.insertByName('KamCorpus', 'Option VBASupport 1\n'
                                  'Sub ShowTotal()\n'
                                  '    MsgBox "Total sales: " & Application.WorksheetFunction.Sum(Range("Accounts!B2:B11"))\n'
                                  'End Sub\n')


def store(doc, name, filter_name):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    doc.storeToURL(uno.systemPathToFileUrl(path), (prop('FilterName', filter_name),))
    doc.close(True)
    return path


XLSX = 'Calc MS Excel 2007 XML'
XLSM = 'Calc MS Excel 2007 VBA XML'


def full_workbook(office, readme_first=False, macro=False):
    """Accounts (chart, table, comments, rich text, merged cells, link, validation, conditional
    format, formulas, serial dates), Contacts, and a pivot table over the accounts."""
    doc = office.new_calc()
    sheets = doc.Sheets
    if readme_first:
        sheets.getByIndex(0).Name = 'Read me'
        readme = sheets.getByIndex(0)
        readme.getCellByPosition(0, 0).setString('Key accounts, FY2025')
        readme.getCellByPosition(0, 0).CharHeight = 16.0
        readme.getCellByPosition(0, 2).setString('The accounts are on the sheet "Accounts"; contacts on "Contacts".')
        readme.getCellByPosition(0, 3).setString('Figures in EUR; margins and growth as fractions.')
        sheets.insertNewByName('Accounts', 1)
    else:
        sheets.getByIndex(0).Name = 'Accounts'
    idx = 1 if readme_first else 0
    accounts = sheets.getByIndex(idx)
    last = fill_accounts(doc, accounts)
    add_rich_text(accounts, 0, 1, 4)                      # "Acme" bold red
    add_hyperlink(doc, accounts, 10, 1, 'https://acme.example/', 'acme.example')
    add_hyperlink(doc, accounts, 10, 4, 'https://dynamo.example/parts', 'dynamo.example')
    add_comment(accounts, 1, 2, 'Sales restated after the March audit.')
    add_comment(accounts, 4, 5, 'Pays late every December.')
    accounts.getCellByPosition(11, 1).setString('Renewal due in Q3')
    accounts.getCellByPosition(11, 3).setString('Shared note for Cobalt and Dynamo')
    accounts.getCellRangeByName('L4:L5').merge(True)        # a merged note over two accounts
    add_validation(accounts, 'E2:E%d' % (last + 1))
    add_conditional_format(accounts, 'C2:C%d' % (last + 1))
    accounts.Columns.getByIndex(0).Width = 4200
    accounts.Columns.getByIndex(11).Width = 6000
    add_table(doc, idx, last)
    add_chart(accounts, idx, last)
    add_image(office, doc, accounts, os.path.join(ROOT, 'assets', 'icon-32.png'))
    add_user_name(doc, 'Accounts')
    sheets.insertNewByName('Contacts', idx + 1)
    add_contacts(doc, sheets.getByIndex(idx + 1))
    add_external_link(office, sheets.getByIndex(idx + 1), 0, 9)
    sheets.insertNewByName('Pivot', idx + 2)
    pivot = sheets.getByIndex(idx + 2)
    pivot.getCellByPosition(0, 0).setString('Annual sales by access to goals')
    add_pivot(doc, idx, last, pivot)
    if macro:
        add_macro(doc)
    return doc


# A sales export with Chinese headers, as the public example: order and ship dates.
ORDERS_HEADERS = ['客户名称', '年销售额', '毛利率', '付款天数', '订单日期', '发货日期', '备注']


def orders_workbook(office):
    doc = office.new_calc()
    sheet = doc.Sheets.getByIndex(0)
    sheet.Name = '销售订单'
    for c, h in enumerate(ORDERS_HEADERS):
        sheet.getCellByPosition(c, 0).setString(h)
    date_fmt = number_format(doc, 'YYYY/MM/DD')
    for i, (name, sales, margin, _growth, days, _wallet, _access, _openness, last) in enumerate(ACCOUNTS):
        r = i + 1
        sheet.getCellByPosition(0, r).setString(name if i % 2 else '客户' + '甲乙丙丁戊己庚辛壬癸'[i])
        sheet.getCellByPosition(1, r).setValue(sales)
        sheet.getCellByPosition(2, r).setValue(margin)
        sheet.getCellByPosition(3, r).setValue(days)
        for c, d in ((4, last), (5, last + datetime.timedelta(days=3 + i))):
            cell = sheet.getCellByPosition(c, r)
            cell.setValue(serial(d))
            cell.NumberFormat = date_fmt
        sheet.getCellByPosition(6, r).setString('加急' if i % 3 == 0 else '')
    return doc


def excel_like_cells(path, sheet_part, date_columns, inline_columns):
    """Rewrites some cells the way Excel and other writers store them and LibreOffice never does:
    the date cells of date_columns as ISO date cells (t="d"), and the shared-string cells of
    inline_columns as inline strings (t="inlineStr"). Only that sheet part changes (the shared
    strings it no longer uses stay in their table); every other entry is copied as it was, in order."""
    def to_iso(match):
        days = float(match.group(4))
        when = datetime.datetime.combine(EPOCH, datetime.time()) + datetime.timedelta(days=days)
        return '<c r="%s%s"%s t="d"><v>%s</v></c>' % (match.group(1), match.group(2), match.group(3), when.strftime('%Y-%m-%dT%H:%M:%S'))
    date_cell = re.compile(r'<c r="([%s])(\d+)"( s="\d+")? t="n"><v>([0-9.]+)</v></c>' % date_columns)
    string_cell = re.compile(r'<c r="([%s])(\d+)"( s="\d+")? t="s"><v>(\d+)</v></c>' % inline_columns)
    tmp = path + '.tmp'
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, 'w') as dst:
        strings = re.findall(r'<si>(.*?)</si>', src.read('xl/sharedStrings.xml').decode('utf-8'))
        def to_inline(match):
            return '<c r="%s%s"%s t="inlineStr"><is>%s</is></c>' % (match.group(1), match.group(2), match.group(3), strings[int(match.group(4))])
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                text, dates = date_cell.subn(to_iso, data.decode('utf-8'))
                text, inline = string_cell.subn(to_inline, text)
                if dates == 0 or inline == 0:
                    raise RuntimeError('no cells to rewrite in ' + sheet_part)
                data = text.encode('utf-8')
            dst.writestr(info, data, compress_type=info.compress_type)
    os.replace(tmp, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    office = Office()
    try:
        store(full_workbook(office), 'libreoffice-features.xlsx', XLSX)
        store(full_workbook(office, macro=True), 'libreoffice-macro.xlsm', XLSM)
        store(full_workbook(office, readme_first=True), 'libreoffice-readme-first.xlsx', XLSX)
        orders = store(orders_workbook(office), 'iso-dates-zh.xlsx', XLSX)
        excel_like_cells(orders, 'xl/worksheets/sheet1.xml', 'EF', 'G')
        print('LibreOffice', office.version)
    finally:
        office.close()


if __name__ == '__main__':
    main()
