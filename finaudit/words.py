"""Words for a reader, in one place: the bilingual text type, the label catalogue and the load-warning codes.

A text meant for a reader is a ``Text`` (中文, English); a language switch is ``text.get(lang)`` or
``tr(key, lang)`` for a label of the catalogue (``LABELS``), a lookup, never an ``if``.
Load-warning codes are one enumeration (``LoadCode``: each value is the stable string the loaders pass and
users filter on); each has its message in both languages here (``LOAD_MESSAGES``), filled from the warning's
own fields, so a Chinese message never carries the loader's English.

Which script a text may hold: a Chinese text holds no English word of its own (only figures, codes, units
such as %, and the document's content); an English text holds no Chinese character and no full-width
punctuation of its own. Chinese in an English text is the document's content — a name, a heading, a row label
or a sentence the document prints — which no translation may replace: it is cited as printed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

LANGS = ("zh", "en")


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """7 → '七', 11 → '十一', 23 → '二十三' (1–99): a table's number as a Chinese sentence names it (表七)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])


class Text(NamedTuple):
    """A text meant for a reader, in Chinese and in English: 表4 第717行 / Table 4 line 717."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        """The text in `lang` ("zh" or "en")."""
        return getattr(self, lang)

    def format(self, **fields) -> Text:
        """Both templates filled: a field that is a ``Text`` reads in each template's language."""
        return Text(*(template.format(**{k: v[i] if isinstance(v, Text) else v for k, v in fields.items()})
                      for i, template in enumerate(self)))


def joined(items: list[Text], mark: Text | None = None) -> Text:
    """Items one after another, parted by `mark` (by default the language's enumeration mark): 甲、乙 / a, b."""
    mark = mark or LABELS["enumeration"]
    return Text(mark.zh.join(t.zh for t in items), mark.en.join(t.en for t in items))


def listing(items: list[Text], limit: int = 8) -> Text:
    """Places or names in parentheses, at most `limit` of them: （第3页、第4页等） / (page 3, page 4, …); nothing for none."""
    if not items:
        return Text("", "")
    shown = joined(items[:limit])
    return LABELS["bracketed"].format(x=LABELS["and_more"].format(x=shown) if len(items) > limit else shown)


def quoted(content: str) -> Text:
    """The document's own words as a message quotes them: “本表无数据” / '本表无数据'; nothing for none."""
    return LABELS["quoted"].format(x=content) if content else Text("", "")


#: Every label of the dashboards, the workbook, the working paper, the published pages, the dossier board and the
#: review ledger: key → Text. A section's keys carry its name ("dossier.title"); the shared ones have none.
LABELS: dict[str, Text] = {
    # punctuation and joins: the language's own marks
    'bracketed': Text('（{x}）', ' ({x})'),
    'and_more': Text('{x}等', '{x}, …'),
    'quoted': Text('“{x}”', " '{x}'"),
    'colon': Text('：', ': '),
    'semicolon': Text('；', '; '),
    'enumeration': Text('、', ', '),
    'three_public_row': Text('{name}（三公）', '{name} (three public expenses)'),
    # the items of the three public expenses (表七) and what the narrative counts for them
    'three_public.total': Text('“三公”经费合计', 'Three public expenses, total'),
    'three_public.abroad': Text('因公出国（境）费', 'Official travel abroad'),
    'three_public.vehicle': Text('公务用车购置及运行费', 'Official vehicles'),
    'three_public.vehicle_purchase': Text('公务用车购置费', 'Vehicle purchase'),
    'three_public.vehicle_running': Text('公务用车运行费', 'Vehicle running'),
    'three_public.reception': Text('公务接待费', 'Official reception'),
    'count.trips': Text('团组', 'Trips'),
    'count.people': Text('人次', 'People'),
    'count.vehicles': Text('车辆', 'Vehicles'),
    'count.receptions': Text('接待批次', 'Receptions'),
    'count.visitors': Text('接待人次', 'Visitors'),
    'count.per_trip': Text('每团组', 'Per trip'),
    'count.per_vehicle': Text('每车', 'Per vehicle'),
    'count.per_reception': Text('每批次', 'Per reception'),
    'count.per_visitor': Text('每人次', 'Per visitor'),
    'counted.vehicles': Text('车辆', 'vehicles'),
    'counted.trips': Text('出国团组', 'trips abroad'),
    'counted.people': Text('出国人次', 'people abroad'),
    'counted.receptions': Text('接待批次', 'receptions'),
    'counted.visitors': Text('接待人次', 'visitors'),
    'counted.domestic': Text('（国内）', ' (domestic)'),
    'counted.foreign': Text('（外事）', ' (foreign)'),
    # pairs of documents (rules.documents.RELATIONS) and a place in a narrative
    'relation.budget_final': Text('预算与决算', 'budget against final'),
    'relation.department_unit': Text('部门与单位', 'department against unit'),
    'relation.year_on_year': Text('上年与本年', 'previous year against this year'),
    'narrative_section': Text('说明 {section}', 'narrative {section}'),
    'narrative_cited': Text('情况说明', 'narrative'),
    # the levels of the function classification
    'level.类': Text('类', 'class'),
    'level.款': Text('款', 'section'),
    'level.项': Text('项', 'item'),
    # document kinds and scopes (Meta.kind, Meta.scope)
    'kind.budget': Text('预算', 'Budget'),
    'kind.final': Text('决算', 'Final'),
    'scope.department': Text('部门', 'department'),
    'scope.unit': Text('单位', 'unit'),
    'document_row': Text('{kind}·{scope}', '{kind} · {scope}'),
    # the dashboard and the workbook
    'total': Text('合计', 'Total'),
    'income': Text('收入', 'Income'),
    'expenditure': Text('支出', 'Expenditure'),
    'income_total': Text('本年收入合计', 'Income this year'),
    'expenditure_total': Text('本年支出合计', 'Expenditure this year'),
    'basic': Text('基本支出', 'Basic expenditure'),
    'project': Text('项目支出', 'Project expenditure'),
    'budget': Text('预算数', 'Budget'),
    'actual': Text('决算数', 'Actual'),
    'rate': Text('完成率', 'Completion rate'),
    'stated_rate': Text('说明所称完成率', 'Stated rate'),
    'recomputed_rate': Text('复算完成率', 'Recomputed rate'),
    'reason': Text('说明原因', 'Stated reason'),
    'three_public': Text('“三公”经费', 'Three public expenses'),
    'findings': Text('审计发现', 'Findings'),
    'tp_actual_budget': Text('“三公”经费 决算数/预算数', 'Three public expenses: actual / budget'),
    'error': Text('错误', 'error'),
    'warning': Text('警告', 'warning'),
    'info': Text('提示', 'info'),
    'amount_unit': Text('万元', '10k yuan'),
    'spending_by_function': Text('支出功能分类：类 → 款 → 项', 'Spending by function: class → section → item'),
    'income_vs_expenditure': Text('收入与支出', 'Income and expenditure'),
    'basic_project': Text('基本支出与项目支出', 'Basic and project expenditure'),
    'tp_budget_actual': Text('“三公”经费 预算与决算', 'Three public expenses: budget and actual'),
    'tp_composition': Text('“三公”经费决算构成', 'Composition of the actual'),
    'tp_budget': Text('“三公”经费预算', 'Three public: budget'),
    'tp_composition_budget': Text('“三公”经费预算构成', 'Composition of the budget'),
    'findings_by_severity': Text('审计发现（按严重程度）', 'Findings by severity'),
    'budget_vs_actual': Text('预算与决算', 'Budget and actual'),
    'threshold': Text('阈值', 'Threshold'),
    'no_data': Text('无数据', 'no data'),
    'no_findings_at_all': Text('无发现', 'No findings'),
    'blank': Text('空白', 'blank'),
    'flagged': Text('超出阈值', 'outside threshold'),
    'title': Text('部门决算审计看板', 'Final-accounts audit dashboard'),
    'title_budget': Text('部门预算审计看板', 'Department budget audit dashboard'),
    'title_unit_budget': Text('单位预算审计看板', 'Unit budget audit dashboard'),
    'income_budget': Text('收入预算合计', 'Income budget'),
    'expenditure_budget': Text('支出预算合计', 'Expenditure budget'),
    'operating_costs': Text('机关运行经费', 'Operating costs'),
    'report': Text('报告', 'Report'),
    'upload': Text('上传报告', 'Upload report'),
    'loading': Text('正在读取', 'Loading'),
    'loaded': Text('已读取', 'Loaded'),
    'bad_file': Text('无法读取该文件，仍显示原报告', 'Could not read the file; the previous report stays loaded'),
    'not_shown': Text('读取成功但无法显示，仍显示原报告', 'read, but it could not be shown; the previous report stays'),
    'too_big': Text('文件过大', 'File too large'),
    'bad_type': Text('只接受 .txt 或 .pdf 文件', 'Only .txt or .pdf files are accepted'),
    'refused.too_big': Text('文件过大（{size:.1f} MB，上限 {limit} MB）', 'file too large ({size:.1f} MB; at most {limit} MB)'),
    'refused.bad_type': Text('只接受 .txt 或 .pdf 文件（收到“{suffix}”）', 'only .txt or .pdf files are accepted (got "{suffix}")'),
    'refused.not_pdf': Text('不是 PDF 文件（开头不是 %PDF-）', 'not a PDF file (it does not start with %PDF-)'),
    'refused.count': Text('只能选择一个文件，或同一份公开文件的两个文件（情况说明与报表）；选择了 {n} 个',
                          'choose one file, or the two files of one document (its narrative and its tables); {n} chosen'),
    'refused.unreadable': Text('{source}{where}：不是可以读取的报告', '{source}{where}: not a readable report: expected {detail}'),
    'upload_pair': Text('情况说明与报表分两个文件公开的，可同时选择两个文件', 'a document published as two files: choose both'),
    'two_files': Text('一个文件，或同一份公开文件的两个文件（情况说明与报表）', 'one file, or the two files of one document (its narrative and its tables)'),
    'tab_drill': Text('支出钻取', 'Drill-down'),
    'tab_budget': Text('预算与决算', 'Budget vs actual'),
    'tab_three': Text('“三公”经费', 'Three public expenses'),
    'tab_findings': Text('审计发现', 'Findings'),
    'tab_tables': Text('报表', 'Tables'),
    'children': Text('下级科目', 'Sub-items'),
    'income_sources': Text('收入来源（表二同一科目）', 'Income sources (Table 2, same code)'),
    'fiscal_share': Text('财政拨款占比（表五 ÷ 表三）', 'Fiscal share (Table 5 ÷ Table 3)'),
    'budget_actual': Text('预算与决算（情况说明）', 'Budget and actual (narrative)'),
    'node_findings': Text('涉及本科目的审计发现', 'Findings on this code'),
    'none': Text('无', 'none'),
    'all': Text('全部', 'All'),
    'severity': Text('严重程度', 'Severity'),
    'table': Text('表', 'Table'),
    'rule': Text('规则', 'Rule'),
    'cells': Text('涉及单元格', 'Cells involved'),
    'source': Text('出处', 'Source'),
    'line': Text('行', 'line'),
    'source_line': Text('行', 'Line'),
    'source_page': Text('页', 'Page'),
    'page': Text('页', 'page'),
    'expected': Text('应为', 'Expected'),
    'printed': Text('实为', 'Printed'),
    'difference': Text('差额', 'Difference'),
    'no_findings': Text('没有符合条件的审计发现', 'No findings match'),
    'budget_missing': Text('预算与决算数据不可用', 'Budget data not available'),
    'budget_document': Text('这是一份预算：尚无决算数，预算与决算的对比见同一部门该年度的决算。', "This is a budget: it has no actual figures yet. Budget against actual is in the department's final accounts for the year."),
    'no_budget_rows': Text('情况说明中未找到预算数', 'No budget figures found in the narrative'),
    'flagged_items': Text('超出阈值的项目', 'Items outside the threshold'),
    'stated_change': Text('说明所称增减', 'Stated change'),
    'prior': Text('上年数（推算）', 'Prior year (derived)'),
    'unit_figures': Text('数量与单位成本', 'Counts and unit costs'),
    'counts': Text('数量', 'Counts'),
    'item': Text('项目', 'Item'),
    'share': Text('占比', 'Share'),
    'marked_legend': Text('黄色：审计发现涉及的单元格（悬停查看）', 'Yellow: cells a finding involves (hover for the codes)'),
    'statement': Text('说明', 'Statement'),
    'workpaper': Text('工作底稿', 'Working paper'),
    'code': Text('编码', 'Code'),
    'name': Text('名称', 'Name'),
    'column': Text('列', 'Column'),
    'message': Text('说明', 'Message'),
    'location': Text('位置', 'Location'),
    'review': Text('复核', 'Review'),
    'status': Text('复核状态', 'Review status'),
    'note': Text('备注', 'Note'),
    'exclude_reason': Text('排除理由', 'Reason for excluding'),
    'save': Text('保存', 'Save'),
    'saved': Text('已保存', 'Saved'),
    'change': Text('与上次比较', 'Against the ledger'),
    'within': Text('阈值内', 'within threshold'),
    'clipped': Text('超出坐标范围（标注实际值）', 'beyond the axis (actual value printed)'),
    'amount': Text('金额', 'Amount'),
    'yuan': Text('元', 'yuan'),
    'table_n': Text('表{numeral}', 'Table {n}'),
    'table_titled': Text('{label}', 'Table {n} {name}'),
    'table_untitled': Text('{label}', '{name}'),
    'at_line': Text('第{n}行', 'line {n}'),
    'row_n': Text('第{n}行', 'row {n}'),
    'at_page': Text('第{n}页', 'page {n}'),
    'problems': Text('{roots} 个问题（{findings} 条）', '{roots} problem{s} ({findings} finding{t})'),
    'narrative': Text('情况说明', 'Narrative'),
    'read_only': Text('复核状态在审计工作簿中设置', 'Review statuses are set in the audit workbook'),
    # the dossier board
    'dossier.title': Text('部门文件合并核对', "A department's documents read together"),
    'dossier.department': Text('部门', 'Department'),
    'dossier.documents': Text('文件时间线', 'Documents by year'),
    'dossier.documents_list': Text('文件一览', 'Documents'),
    'dossier.budget_actual': Text('预算与决算（逐项）', 'Budget against actual, per item'),
    'dossier.three_public_years': Text('“三公”经费历年预算与决算', 'Three public expenses over the years'),
    'dossier.across': Text('跨文件核对', 'Across documents'),
    'dossier.no_final': Text('该部门在本文件夹中没有决算，无法对照预算与决算', 'No final account of this department in the folder: nothing to hold against the budget'),
    'dossier.no_rows': Text('决算说明中未列逐项预算与决算', 'The final states no budget and actual per item'),
    'dossier.no_three_public': Text('文件中没有“三公”经费表', 'No three-public-expenses table in the documents'),
    'dossier.no_findings': Text('未发现跨文件问题', 'No cross-document finding'),
    'dossier.no_department': Text('文件夹中没有可读取的部门文件', 'No readable document in the folder'),
    'dossier.errors': Text('错误数', 'Errors'),
    'dossier.marker': Text('圆点内为该文件自身的错误数，悬停查看文件名', "the number in a dot is the document's own errors; hover for the file"),
    'dossier.unreadable': Text('无法读取', 'unreadable'),
    'dossier.file': Text('文件', 'File'),
    'dossier.year': Text('年度', 'Year'),
    'dossier.budget_document': Text('预算文件', 'budget document'),
    'dossier.final': Text('决算说明', 'the final'),
    'dossier.budget_source': Text('预算数出处', 'Budget figure from'),
    'dossier.outside': Text('拒绝打开该文件夹：不在允许的目录内', 'Folder refused: not inside the allowed folders'),
    'dossier.missing': Text('拒绝打开该文件夹：不存在', 'Folder refused: it does not exist'),
    'dossier.pairs': Text('组文件对照', 'pairs of documents read together'),
    'dossier.unknown_department': Text('本文件夹中没有该部门', 'No such department in the folder'),
    'dossier.pick_department': Text('请在上方选择部门', 'Pick a department above'),
    'dossier.gap': Text('{earlier}年与{later}年的{what}之间缺少年度，未作上年与本年对照', '{earlier} and {later} {what}: a year is missing between them, not compared year on year'),
    # the dossier board's documents and cross-document findings
    'timeline.department': Text('部门', 'Department'),
    'timeline.year': Text('年度', 'Year'),
    'timeline.kind': Text('文件', 'Kind'),
    'timeline.scope': Text('范围', 'Scope'),
    'timeline.entity': Text('编制单位', 'Entity'),
    'timeline.file': Text('文件名', 'File'),
    'timeline.errors': Text('错误', 'Errors'),
    'timeline.warnings': Text('警告', 'Warnings'),
    'timeline.notes': Text('提示', 'Notes'),
    'timeline.unreadable': Text('无法读取', 'Unreadable'),
    'cross.relation': Text('关系', 'Relation'),
    'cross.code': Text('规则', 'Rule'),
    'cross.severity': Text('级别', 'Severity'),
    'cross.message': Text('说明', 'Message'),
    'cross.first': Text('文件一', 'First document'),
    'cross.first_at': Text('文件一位置', 'Where in the first'),
    'cross.second': Text('文件二', 'Second document'),
    'cross.second_at': Text('文件二位置', 'Where in the second'),
    # the portfolio
    'portfolio.title': Text('部门预算决算公开 · 全部部门', 'Budget and final-accounts disclosures · all departments'),
    'portfolio.department': Text('部门', 'Department'),
    'portfolio.year': Text('年度', 'Year'),
    'portfolio.documents': Text('文件', 'Documents'),
    'portfolio.errors': Text('错误', 'Errors'),
    'portfolio.warnings': Text('警告', 'Warnings'),
    'portfolio.notes': Text('提示', 'Notes'),
    'portfolio.three_public_budget': Text('三公预算', 'Three public: budget'),
    'portfolio.three_public_actual': Text('三公决算', 'Three public: actual'),
    'portfolio.three_public_rate': Text('三公执行率 %', 'Three public: rate %'),
    'portfolio.spending': Text('本年支出', 'Spending'),
    'portfolio.execution_rate': Text('预算执行率 %', 'Execution rate %'),
    'portfolio.execution_basis': Text('执行率口径', 'Rate basis'),
    'portfolio.open': Text('打开', 'Open'),
    'portfolio.cross_errors': Text('跨文件错误', 'Cross-document errors'),
    'portfolio.dossier': Text('部门卷宗', 'Dossier'),
    'portfolio.report': Text('报告', 'Report'),
    'portfolio.all': Text('全部', 'All'),
    'portfolio.search': Text('部门名称', 'Department name'),
    'portfolio.only_errors': Text('只看有错误的', 'Only with errors'),
    'portfolio.sort': Text('排序', 'Sort by'),
    'portfolio.descending': Text('降序', 'Descending'),
    'portfolio.findings_by_year': Text('各年度发现的问题', 'Findings by year'),
    'portfolio.three_public_by_year': Text('各年度“三公”经费：预算与决算', 'Three public expenses by year'),
    'portfolio.spending_by_class': Text('支出按功能分类（类）', 'Spending by function (class)'),
    'portfolio.showing': Text('显示 {shown} / {total} 行（部门 × 年度）', 'Showing {shown} of {total} rows (department × year)'),
    'portfolio.budget': Text('预算', 'Budget'),
    'portfolio.actual': Text('决算', 'Actual'),
    'portfolio.unit': Text('万元', '10k yuan'),
    'portfolio.basis_budget': Text('预算文件', 'budget document'),
    'portfolio.basis_items': Text('说明中的项目', 'narrative items'),
    'portfolio.no_rows': Text('没有符合条件的行', 'No rows match'),
    'portfolio.store': Text('数据库', 'Store'),
    # the published pages
    'publish.title': Text('部门决算审计 — 只读仪表板', 'Final-accounts audit — read-only dashboard'),
    'publish.headline': Text('概览', 'Overview'),
    'publish.drill': Text('支出构成（点击下钻，点击中心返回）', 'Spending by function (click to drill down, centre to go back)'),
    'publish.budget': Text('预算与决算', 'Budget against actual'),
    'publish.three': Text('“三公”经费', 'Three public expenses'),
    'publish.findings': Text('审计发现', 'Findings'),
    'publish.no_findings': Text('没有发现。', 'No findings.'),
    'publish.unavailable': Text('无法计算', 'Not available'),
    'publish.reports': Text('报告', 'Reports'),
    'publish.unreadable': Text('无法读取', 'Unreadable'),
    'publish.severity': Text('级别', 'Severity'),
    'publish.code': Text('规则', 'Rule'),
    'publish.table': Text('表', 'Table'),
    'publish.row': Text('行', 'Row'),
    'publish.column': Text('栏', 'Column'),
    'publish.message': Text('说明', 'Message'),
    'publish.item': Text('项目', 'Item'),
    'publish.file': Text('文件', 'File'),
    'publish.generated': Text('由 finaudit 生成；离线可用，无需内核。', 'Made by finaudit; works offline, no kernel.'),
    # review statuses and changes against the ledger
    'status.pending': Text('待复核', 'to review'),
    'status.confirmed': Text('确认', 'confirmed'),
    'status.excluded': Text('排除', 'excluded'),
    'status.remediated': Text('已整改', 'remediated'),
    'change.new': Text('新增', 'new'),
    'change.open': Text('仍存在', 'still open'),
    'change.resolved': Text('已消除', 'resolved'),
    'change.total': Text('合计', 'total'),
    # the review ledger's refusals
    'judged_with_root': Text('随根源问题 {root} 一并判断', 'judged with its root cause {root}'),
    'ledger.unreadable': Text('复核记录文件“{file}”无法读取（已损坏或不是 finaudit 的复核记录）',
                              'the review file "{file}" cannot be read (damaged, or not a finaudit review file)'),
    'ledger.status': Text('复核状态“{status}”无效', 'no such review status "{status}"'),
    'ledger.reason': Text('排除须说明理由', 'Excluding a finding needs a reason'),
    'ledger.unwritable': Text('复核记录无法保存（文件无法写入或被占用），请稍后再试',
                              'the review could not be saved (the file cannot be written or is busy); try again'),
    # the landing page and the busy page of the dashboards' server (both languages on one page)
    'landing.title': Text('finaudit 部门预决算公开审计', 'finaudit — audit of budget and final-account disclosures'),
    'landing.dashboard': Text('单份报告仪表板', 'Single-report dashboard'),
    'landing.dashboard.about': Text('一份决算或预算：总览、支出钻取、预算与决算、“三公”经费、审计发现、报表。',
                                    'One final account or budget: headline, drill-down, budget vs actual, three public '
                                    'expenses, findings, tables.'),
    'landing.dossier': Text('部门卷宗', 'Department dossier'),
    'landing.dossier.about': Text('一个部门的各年预算与决算放在一起：时间线、预算与决算、“三公”历年、跨文件发现。',
                                  "A department's budgets and finals together: timeline, budget vs actual, three public "
                                  "expenses by year, cross-document findings."),
    'landing.portfolio': Text('部门总览', 'Portfolio'),
    'landing.portfolio.about': Text('语料库中所有部门和年度：发现、“三公”、支出与执行率。',
                                    'Every department and year of a corpus store: findings, three public expenses, '
                                    'spending, execution rate.'),
    'busy.title': Text('忙碌中，请稍候', 'Busy — retry in a moment'),
    'busy.retry': Text('本页将在 {seconds} 秒后自动重试。', 'This page retries by itself in {seconds} seconds.'),
    'busy.sessions': Text('同时打开的仪表板已达上限：{current} 个页面占用内核，上限 {limit} 个。关闭不用的仪表板页面可腾出名额。',
                          'All {limit} dashboard pages the server holds at once are open ({current} now). Closing a '
                          'dashboard page you no longer use frees a place.'),
    'busy.starting': Text('服务器正忙于启动其他页面：{seconds} 秒内最多启动 {limit} 个页面，现已启动 {current} 个。',
                          'The server is busy starting other pages: at most {limit} pages start within {seconds} s, and '
                          '{current} have.'),
    'busy.client': Text('您刚刚打开了 {current} 个页面：每位访问者 {seconds} 秒内最多启动 {limit} 个，以免挤占其他访问者。',
                        'You have just opened {current} pages: each visitor starts at most {limit} within {seconds} s, so '
                        'that no one crowds the others out.'),
    # units
    'unit.万元': Text('万元', '10k yuan'),
    'unit.元': Text('元', 'yuan'),
    'unit.千元': Text('千元', '1k yuan'),
    'unit.亿元': Text('亿元', '100m yuan'),

}


def tr(key: str, lang: str = "zh") -> str:
    """The label `key` in `lang`; an unknown key is an error (a key on a reader's screen never is)."""
    return LABELS[key].get(lang)


class LoadCode(StrEnum):
    """What a loader could not fit: permanent codes (users filter on them), one message each in ``LOAD_MESSAGES``."""

    AMOUNT_NOT_NUMERIC = "amount-not-numeric"
    AMOUNT_PRECISION = "amount-precision"
    AMOUNT_TOO_LARGE = "amount-too-large"
    CODE_PART_SHORT = "code-part-short"
    GLOSSARY_UNPARSED = "glossary-unparsed"
    HEADER_UNALIGNED = "header-unaligned"
    HEADER_UNRECOGNISED = "header-unrecognised"
    META_CONFLICT = "meta-conflict"
    META_FILE_NAME = "meta-file-name"
    META_MISSING = "meta-missing"
    NARRATIVE_MISSING = "narrative-missing"
    PAGE_NO_TEXT = "page-no-text"
    PAGE_OVERFLOW = "page-overflow"
    PAGE_SCANNED = "page-scanned"
    PAGE_UNREADABLE = "page-unreadable"
    ROW_EXTRA = "row-extra"
    ROW_MISALIGNED = "row-misaligned"
    ROW_NUMBER_INVALID = "row-number-invalid"
    TABLE_DUPLICATE = "table-duplicate"
    TABLE_NO_ROWS = "table-no-rows"
    TABLE_NO_RULES = "table-no-rules"
    TABLE_UNKNOWN = "table-unknown"
    TABLE_UNTITLED = "table-untitled"
    TABLES_ABSENT = "tables-absent"
    TEXT_OUTSIDE_ROWS = "text-outside-rows"


#: Each load-warning code's message; ``{subject}`` is the document text the warning is about, quoted (or nothing).
LOAD_MESSAGES: dict[LoadCode, Text] = {
    LoadCode.AMOUNT_NOT_NUMERIC: Text("金额栏的{subject}不是数字，按空白处理", "amount{subject} is not a number; left blank"),
    LoadCode.AMOUNT_PRECISION: Text("金额{subject}超过两位小数，按空白处理", "amount{subject} has more than two decimals; left blank"),
    LoadCode.AMOUNT_TOO_LARGE: Text("金额{subject}位数过多", "amount{subject} has too many digits"),
    LoadCode.CODE_PART_SHORT: Text("科目编码{subject}的款或项只印了一位数字，已按补0读取",
                                   "code{subject} prints a 2-digit part as one digit; read with a leading 0"),
    LoadCode.GLOSSARY_UNPARSED: Text("名词解释中的{subject}不是“名词：解释”的格式",
                                     "glossary line{subject} is not of the form 'term: definition'"),
    LoadCode.HEADER_UNALIGNED: Text("表头一行未能按表格左右两侧分开", "a header row does not split into the table's sides"),
    LoadCode.HEADER_UNRECOGNISED: Text("未能识别列标题{subject}，该列的数未能对应", "column header{subject} not recognised; its figures are not placed"),
    LoadCode.META_CONFLICT: Text("文件对自身的说法前后不一致{subject}，采用了先出现的说法",
                                 "the document describes itself in two ways{subject}; the first is kept"),
    LoadCode.META_FILE_NAME: Text("文件未写明部门或年度等信息，取自文件名{subject}",
                                  "the document does not name its department or year: taken from the file name{subject}"),
    LoadCode.META_MISSING: Text("未找到部门名称和年度", "department and year not found"),
    LoadCode.NARRATIVE_MISSING: Text("未找到第三部分情况说明", "no narrative part found"),
    LoadCode.PAGE_NO_TEXT: Text("该页没有文字，未读取", "the page has no text; nothing read from it"),
    LoadCode.PAGE_OVERFLOW: Text("该页只有空白的表格线（表格跨页），未读取", "the page holds only empty ruled rows (a table running over); nothing read from it"),
    LoadCode.PAGE_SCANNED: Text("该页是没有文字层的图片（扫描件？），未读取", "the page is an image without a text layer (scanned?); nothing read from it"),
    LoadCode.PAGE_UNREADABLE: Text("该页无法读取", "the page could not be read"),
    LoadCode.ROW_EXTRA: Text("“三公”经费表有不止一行数据，只读取了第一行", "the three public expenses table has more than one data row; the first is kept"),
    LoadCode.ROW_MISALIGNED: Text("该行的单元格数与表头的列数不符，已自左向右放置",
                                  "a row's cells do not match the header's columns; placed left to right"),
    LoadCode.ROW_NUMBER_INVALID: Text("行次{subject}不是数字", "row number{subject} is not a number"),
    LoadCode.TABLE_DUPLICATE: Text("同类表格出现第二张{subject}，只读取了第一张", "a second table of the same kind{subject}; the first is kept"),
    LoadCode.TABLE_NO_ROWS: Text("表格{subject}没有数据行，也没有“本表无数据”之类的说明",
                                 "table{subject} has no data rows and no statement that it is empty"),
    LoadCode.TABLE_NO_RULES: Text("表格标题下没有找到带线的表格，未读取其中的行", "no ruled table under the title; its rows are not read"),
    LoadCode.TABLE_UNKNOWN: Text("表格标题{subject}不属于任何已知表格", "table title{subject} matches no known table"),
    LoadCode.TABLE_UNTITLED: Text("表格标题之前有一张带线的表格，未读取", "a ruled table before any table title; not read"),
    LoadCode.TABLES_ABSENT: Text("本文件中没有报表，只读取情况说明；报表另行公开的，请同时读取两个文件",
                                 "no tables in this file: its narrative is read alone; if the tables are published as "
                                 "another file, read both together"),
    LoadCode.TEXT_OUTSIDE_ROWS: Text("表格内有一段不属于任何一行的文字{subject}", "text{subject} inside a table but outside its rows"),
}
