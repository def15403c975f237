"""What a relation or a bound between printed figures states, as data: each subject's name once, in both
languages (``SUBJECTS``), filled from its fields when a finding cites it.

A relation (a total against its parts, a part within its whole) carries a ``Subject``: a key of this catalogue and
the fields its name is filled with — tables (``cite.table_named``), columns (``Table.column_name``), codes and labels
as printed. A field that is a ``Text`` reads in each template's language; a code or a row label is the document's own
and reads the same in both. No rule writes a relation's name in Chinese and again in English.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from finaudit.model import COLUMN_NAMES_EN
from finaudit.words import LABELS, Text, joined

#: The name of every relation and bound the rules check, by key: "{table}" is a table as a sentence names it
#: (表三 / Table 3), "{column}" a column's heading (the table's own / its English name), "{parts}" the addends.
SUBJECTS: dict[str, Text] = {
    # inside a table (rules.tables): final accounts
    'children': Text('{table} {label} {column} 应等于下级科目之和', '{table} {label} {column}: must equal the sum of its sub-items'),
    'row_parts': Text('{table} {label} {total} 应等于{parts}', '{table} {label} total must equal {parts}'),
    'income_lines': Text('{table} 本年收入合计应等于各项收入之和', '{table} income total must equal the sum of the income lines'),
    'expenditure_lines': Text('{table} 本年支出合计（{column}）应等于各类支出之和',
                              '{table} expenditure total ({column}) must equal the sum of the expenditure lines'),
    'income_grand': Text('{table} 收入总计应等于本年收入合计+弥补收支差额+年初结转和结余',
                         '{table} income grand total must equal income total + fund make-up + carry-over'),
    'expenditure_grand': Text('{table} 支出总计应等于本年支出合计+结余分配+年末结转和结余',
                              '{table} expenditure grand total must equal expenditure total + distribution + carry-over'),
    'grand_balance': Text('{table} 收入总计应等于支出总计', '{table} income and expenditure grand totals must be equal'),
    'carryover_begin': Text('{table} {label} 应等于其明细之和', '{table} carry-over at start must equal the sum of its sub-lines'),
    'carryover_end': Text('{table} {label} 应等于其明细之和', '{table} carry-over at end must equal the sum of its sub-lines'),
    'fund_row': Text('{table} {label} 合计应等于各资金来源之和', '{table} {label}: total must equal the sum of the funds'),
    'personnel_total': Text('{table} 人员经费合计应等于{classes}', '{table} personnel total must equal {classes}'),
    'public_total': Text('{table} 公用经费合计应等于{classes}', '{table} public total must equal {classes}'),
    'three_public': Text('{table} {item}（{column}）应等于其各项之和', '{table} {item} ({column}) must equal {parts}'),
    'three_public_row': Text('{table} {row}“{item}”应等于其各项之和', '{table} {row}: {item} must equal {parts}'),
    'three_public_change': Text('{table} {row}“{item}”应等于当年减上年', '{table} {row}: {item} must equal this year less last year'),
    'fund_balance': Text('{table} {label} 年末结转和结余应等于年初+本年收入−本年支出',
                         '{table} {label}: end balance must equal begin + income − expenditure'),
    # between the tables of a final account (rules.cross)
    'summary_class': Text('表一 {code} 支出应等于支出决算表同类支出', 'Table 1 {code} must equal Table 3 {code}'),
    'summary_expenditure': Text('表一 本年支出合计应等于支出决算表合计', 'Table 1 expenditure total must equal Table 3 total'),
    'summary_income': Text('表一 {line} 应等于收入决算表合计行{column}', 'Table 1 {line} must equal Table 2 total {column}'),
    'appropriation_class': Text('表四 {code} {column} 应等于{other}同类合计', 'Table 4 {code} {column} must equal {other} {code}'),
    'appropriation_total': Text('表四 本年支出合计应等于表五、表八（表九）合计之和',
                                'Table 4 expenditure total must equal Table 5 + Table 8 (+ Table 9) totals'),
    'appropriation_income': Text('表四 本年收入合计应等于收入决算表财政拨款收入', 'Table 4 income total must equal Table 2 fiscal appropriation income'),
    'appropriation_fiscal': Text('表四 本年收入合计应等于表一财政拨款', 'Table 4 income total must equal Table 1 fiscal appropriation'),
    'appropriation_fund_line': Text('表四 {line} 应等于表一同名收入', 'Table 4 {line} must equal Table 1 {line}'),
    'appropriation_fund_income': Text('表四 {line} 收入应等于{other}本年收入', 'Table 4 {line} income must equal {other} income'),
    'general_within': Text('{table} {code} {column} 不应大于{other}同科目', '{table} {code} {column} must not exceed {other}'),
    'basic_split': Text('表五 基本支出合计应等于表六人员经费与公用经费之和', 'Table 5 basic total must equal Table 6 personnel + public totals'),
    'economic_within': Text('{table} {code} 不应大于{other} {item} 决算数', '{table} {code} must not exceed {other} {item} actual'),
    'fund_begin': Text('表八 年初结转和结余应等于表四年初政府性基金结转', 'Table 8 begin must equal Table 4 fund carry-over'),
    'fund_end': Text('表八 年末结转和结余应等于表四年末政府性基金结转', 'Table 8 end must equal Table 4 fund carry-over'),
    'appropriation_within': Text('{table} {code} 不应大于{other}同类支出', '{table} {code} must not exceed {other} {code}'),
    'carryover_within': Text('{table} 年初财政拨款结转和结余不应大于{other}上年结转', '{table} carry-over must not exceed {other}'),
    # inside a budget's tables (rules.budget)
    'budget.income_lines': Text('{table} 收入总计应等于各项收入之和', '{table} income total must equal the income lines'),
    'budget.fiscal_funds': Text('{table} 财政拨款收入应等于一般公共预算、政府性基金、国有资本经营预算之和',
                                '{table} fiscal income must equal the sum of its funds'),
    'budget.classes': Text('{table} 支出总计（{column}）应等于各类支出之和', '{table} expenditure total ({column}) must equal the sum of the classes'),
    'budget.row_parts': Text('{table} {label} 合计应等于{parts}', '{table} {label} total must equal {parts}'),
    'budget.balance': Text('{table} 收入总计应等于支出总计', '{table} income and expenditure totals must be equal'),
    'budget.fund_lines': Text('{table} 收入总计应等于各项财政拨款收入之和', '{table} income total must equal the fund lines'),
    'budget.basic_row': Text('{table} {label} 合计应等于人员经费+公用经费', '{table} {label} total must equal personnel + public'),
    'budget.personnel_classes': Text('{table} 人员经费合计应等于{classes}', '{table} {column} total must equal {classes}'),
    'budget.public_classes': Text('{table} 公用经费合计应等于{classes}', '{table} {column} total must equal {classes}'),
    # between a budget's tables
    'budget.operating_costs': Text('{table} 机关运行经费不应大于{other} 公用经费合计',
                                   '{table} operating costs must not exceed {other} public expenses'),
    'budget.income_this_year': Text('{table} 本年收入合计应等于{other}合计', '{table} income this year must equal {other} total'),
    'budget.income_total': Text('{table} 收入总计应等于{other}合计', '{table} income total must equal {other} total'),
    'budget.income_line': Text('{table} {line} 应等于{other}合计行{column}', '{table} {line} must equal {other} total {column}'),
    'budget.class_items': Text('{table} {code} {column}应等于{other}该类各项之和',
                               '{table} {code} {column} must equal the sum of its items in {other}'),
    'budget.class_total': Text('{table} {code} 支出应等于{other}同类合计', '{table} {code} must equal {other} {code} total'),
    'budget.class_project': Text('{table} {code} 项目支出应等于{other}同类项目支出', '{table} {code} project must equal {other}'),
    'budget.class_basic': Text('{table} {code} 基本支出应等于{other}人员经费+公用经费', '{table} {code} basic must equal {other} personnel + public'),
    'budget.expenditure_this_year': Text('{table} 本年支出合计应等于{other}合计', '{table} expenditure this year must equal {other} total'),
    'budget.expenditure_total': Text('{table} 支出总计应等于{other}合计', '{table} expenditure total must equal {other} total'),
    'budget.fund_class': Text('{table} {code} {column}应等于{other} {code} 合计', '{table} {code} {column} must equal {other} {code} total'),
    'budget.fund_total': Text('{table} 支出总计{column}应等于{other}合计', '{table} {column} total must equal {other} total'),
    'budget.fund_income': Text('{table} {line} 收入应等于{other}同项', '{table} {line} income must equal {other}'),
    'budget.fiscal_income': Text('{table} 收入总计应等于{other}财政拨款收入', '{table} income total must equal {other} fiscal income'),
    'budget.basic_total': Text('{table} 基本支出合计应等于{other}合计', '{table} basic total must equal {other} total'),
    'budget.general_within': Text('{table} {code} {column}不应大于{other}同科目', '{table} {code} {column} must not exceed {other}'),
    'budget.economic_within': Text('{table} {code} 不应大于{other} {item}', '{table} {code} must not exceed {other} {item}'),
    # the narrative's percentages and sums (rules.narrative)
    'share': Text('{subject} 占比（{part}÷{whole}）', '{subject} share ({part} / {whole})'),
    'completion': Text('{subject} 完成率（{actual}÷{budget}）', '{subject} completion rate ({actual} / {budget})'),
    'year_on_year': Text('{subject} 同比（{amount}÷({base}{sign}{amount})）', '{subject} year on year ({amount} / prior {prior})'),
    'item_budgets': Text('年初预算', 'budgets'),
    'item_actuals': Text('决算', 'actuals'),
    'procurement': Text('政府采购总额 = 货物 + 工程 + 服务', 'government procurement = goods + works + services'),
    'three_public_parts': Text('“三公”经费 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费', '三公 = abroad + vehicles + reception'),
    'vehicle_parts': Text('公务用车购置及运行费 = 购置费 + 运行费', 'vehicles = purchase + running'),
    'reception_parts': Text('公务接待费 = 国内公务接待 + 外宾接待', 'reception = domestic + foreign guests'),
    'basic_parts': Text('基本支出 = 人员经费 + 公用经费', 'basic = personnel + public'),
    'unit_name': Text('单位名称', 'unit name'),
    'section_title': Text('标题', 'title'),
    'table_title': Text('表标题', 'table title'),
    'basic': Text('基本支出', 'basic expenditure'),
    'plus': Text('+', ' + '),
    'project': Text('项目支出', 'project expenditure'),
}


class Subject(NamedTuple):
    """What a relation or a bound states: a key of ``SUBJECTS`` and the fields its name is filled with."""

    key: str
    fields: dict

    @property
    def text(self) -> Text:
        """The subject's name in both languages."""
        return SUBJECTS[self.key].format(**self.fields)


def subject(key: str, /, **fields) -> Subject:
    """The subject `key` of the catalogue with its fields; an unknown key is an error."""
    if key not in SUBJECTS:
        raise KeyError(f"no subject {key!r} in the catalogue")
    return Subject(key, fields)


def line(label: str, key: str) -> Text:
    """A row as a name cites it: its label as the table prints it, and its English name (a column's of the same key,
    or a 三公 item's; else the label as printed) — never its key."""
    english = COLUMN_NAMES_EN.get(key) or (LABELS[f"three_public.{key}"].en if f"three_public.{key}" in LABELS else label)
    return Text(label, english)


def plus(parts: Iterable[Text | str]) -> Text:
    """Addends as a name writes them: 基本支出+项目支出 / Basic + Project (a code reads the same in both)."""
    return joined([p if isinstance(p, Text) else Text(p, p) for p in parts], SUBJECTS["plus"])
