"""The ``diag`` command (also ``python -m diag``).

Each sub-command is a thin handler that parses arguments and calls into the package;
errors of the :class:`~diag.errors.DiagError` family become the contract's one line
``error: <file>[:<where>]: <what is wrong>`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from diag.errors import DiagError, RunError, UsageError
from diag.messages import messages


class _Parser(argparse.ArgumentParser):
    """argparse that raises :class:`UsageError` instead of printing usage and exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)", file=self.prog)


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"expected a date YYYY-MM-DD, got '{text}'", file="--as-of") from None


# -- handlers -------------------------------------------------------------------------

def _cmd_new(args: argparse.Namespace) -> int:
    from diag.brief.scaffold import scaffold_brief

    path = scaffold_brief(args.client, args.industry, Path(args.dir))
    print(f"已创建需求澄清表: {path}")
    return 0


def _cmd_intake(args: argparse.Namespace) -> int:
    from diag.intake import workbook as intake

    if args.intake_command == "form":
        path = intake.write_form(Path(args.out), industry=args.industry, lang=args.lang)
        print(f"已生成需求澄清表工作簿: {path}")
    else:
        result = intake.import_workbook(Path(args.workbook), Path(args.output))
        print(f"已导入: {result.path}")
        for line in result.notes:
            print(f"  提示: {line}")
        if result.unresolved:
            print(f"以下 {len(result.unresolved)} 个回答无法识别, 未写入 brief, 请与客户确认:")
        for unresolved in result.unresolved:
            print(f"  待确认: {unresolved}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from diag.run.check import check_brief, format_check

    report = check_brief(Path(args.brief), lang=args.lang)
    print(format_check(report, lang=args.lang))
    return 0


def _column_map(pairs: list[str] | None) -> dict[str, str] | None:
    """Return ``{field: header}`` from ``--column field=header`` options (as a brief's data.columns)."""
    from diag.readers.orders import FIELDS

    out: dict[str, str] = {}
    for pair in pairs or []:
        field, sep, header = pair.partition("=")
        field, header = field.strip(), header.strip()
        if not sep or not header:
            raise UsageError(f"expected FIELD=HEADER, got {pair!r}", file="--column")
        if field not in FIELDS:
            raise UsageError(f"unknown field {field!r}; known: {', '.join(FIELDS)}", file="--column")
        out[field] = header
    return out or None


def _cmd_metrics(args: argparse.Namespace) -> int:
    from diag.areas.metrics import compute_metrics, format_table, to_json

    metrics = compute_metrics(Path(args.orders), as_of=args.as_of, columns=_column_map(args.column),
                              platform=args.platform)
    if args.format == "json":
        print(to_json(metrics))
    else:
        print(format_table(metrics, lang=args.lang))
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from diag.run.client import run_client

    result = run_client(Path(args.brief), Path(args.out), lang=args.lang, template=args.template,
                        pdf=args.pdf, **_since(args), per_store=args.per_store)
    assert result.report is not None, "run_client returns a result with its report"
    t = messages("common", args.lang)
    print(t("cli.report_done", path=result.report))
    if args.pdf:
        print(t("cli.pdf_done", path=result.report.with_suffix(".pdf")))
    return 0


def _since(args: argparse.Namespace) -> dict[str, Any]:
    """Return the run keywords of ``--since DIR`` / ``--no-since`` (the earlier run to compare with)."""
    return {"since": Path(args.since) if args.since else None, "use_since": not args.no_since}


def _add_since(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--since", metavar="PREV_RUN_DIR", default=None,
                       help="与上一次的诊断结果对比 (默认: 输出目录中同一客户的上一份报告)")
    group.add_argument("--no-since", action="store_true", help="不与上一次的诊断对比")


def _cmd_batch(args: argparse.Namespace) -> int:
    from diag.run.batch import run_batch

    summary = run_batch([Path(p) for p in args.briefs], Path(args.out), jobs=args.jobs,
                        executor=args.executor, scheduler=args.scheduler, lang=args.lang,
                        template=args.template, pdf=args.pdf, force=args.force, **_since(args),
                        per_store=args.per_store)
    return summary.exit_code


def _cmd_report(args: argparse.Namespace) -> int:
    from diag.report import build_report

    if args.check_template:
        from diag.report.firm import check_and_print

        return check_and_print(Path(args.check_template))
    if args.run_dir is None:
        raise UsageError("expected RUN_DIR (or --check-template FIRM.docx)", file="diag report")
    path = build_report(Path(args.run_dir), lang=args.lang, template=args.template, pdf=args.pdf)
    t = messages("common", args.lang or "zh")
    print(t("cli.report_rebuilt", path=path))
    if args.pdf:
        print(t("cli.pdf_done", path=path.with_suffix(".pdf")))
    return 0


def _delivery_options(p: argparse.ArgumentParser) -> None:
    """Add --template and --pdf (run, batch, report)."""
    p.add_argument("--template", type=Path, default=None, metavar="FIRM.docx",
                   help="用咨询公司自己的 Word 模板排版报告 (样式、页眉页脚、logo)")
    p.add_argument("--pdf", action="store_true", help="同时生成 report.pdf (需要 LibreOffice)")


def _cmd_templates(args: argparse.Namespace) -> int:
    from diag.industries import registry as industries

    if args.templates_command == "list":
        print(industries.format_list())
    elif args.templates_command == "show":
        print(industries.format_show(args.key))
    else:
        industries.check_template_file(Path(args.path))
        print(f"模板有效: {args.path}")
    return 0


def _cmd_platforms(args: argparse.Namespace) -> int:
    from diag.platforms import registry as platforms

    if args.platforms_command == "list":
        print(platforms.format_list())
    elif args.platforms_command == "show":
        print(platforms.format_show(args.key))
    else:
        profile = platforms.check_platform_file(Path(args.path))
        print(f"平台模板有效: {args.path} ({profile.name})")
    return 0


def _cmd_live(args: argparse.Namespace) -> int:
    from diag.live.session import serve

    return serve(Path(args.brief), port=args.port, lab=args.lab, out_root=Path(args.out))


# -- parser ---------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every sub-command of the contract."""
    parser = _Parser(prog="diag", description="私域诊断工具包 — 从需求澄清表到诊断报告")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("new", help="从行业模板创建需求澄清表 (brief)")
    p.add_argument("client")
    p.add_argument("--industry", required=True)
    p.add_argument("--dir", default="briefs")
    p.set_defaults(handler=_cmd_new)

    p = sub.add_parser("intake", help="需求澄清表工作簿: 生成 / 导入")
    isub = p.add_subparsers(dest="intake_command", required=True, parser_class=_Parser)
    f = isub.add_parser("form", help="生成空白需求澄清表 (.xlsx)")
    f.add_argument("out")
    f.add_argument("--industry")
    f.add_argument("--lang", choices=("zh", "en"), default="zh")
    i = isub.add_parser("import", help="把填好的工作簿导入为 brief (YAML)")
    i.add_argument("workbook")
    i.add_argument("-o", "--output", required=True)
    p.set_defaults(handler=_cmd_intake)

    p = sub.add_parser("check", help="校验 brief 与数据文件, 列出缺口与待问问题")
    p.add_argument("brief")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言 (zh / en)")
    p.set_defaults(handler=_cmd_check)

    p = sub.add_parser("metrics", help="订单文件的核心指标")
    p.add_argument("orders")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="table 格式的输出语言 (zh / en)")
    p.add_argument("--column", action="append", metavar="FIELD=HEADER",
                   help="指定字段对应的表头, 如 customer_id=user_openid (可重复)")
    p.add_argument("--platform", default=None, metavar="KEY",
                   help="指定订单导出的平台模板 (diag platforms list), 默认按表头自动识别")
    p.set_defaults(handler=_cmd_metrics)

    p = sub.add_parser("run", help="为一个客户执行全部笔记本并生成报告")
    p.add_argument("brief")
    p.add_argument("--out", default="outputs")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--per-store", action="store_true", help="连锁: 每家门店一份报告, 客户报告为连锁汇总")
    _delivery_options(p)
    _add_since(p)
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("batch", help="批量生成多个客户的报告")
    p.add_argument("briefs", nargs="+")
    p.add_argument("--out", default="outputs")
    p.add_argument("-j", "--jobs", type=int, default=1)
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", default=None)
    p.add_argument("--force", action="store_true", help="输入未变化的客户也重新生成")
    p.add_argument("--per-store", action="store_true", help="连锁: 每家门店一份报告, 客户报告为连锁汇总")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    _delivery_options(p)
    _add_since(p)
    p.set_defaults(handler=_cmd_batch)

    p = sub.add_parser("report", help="根据已记录的结果重建报告")
    p.add_argument("run_dir", nargs="?")
    p.add_argument("--lang", choices=("zh", "en"), default=None)
    _delivery_options(p)
    p.add_argument("--check-template", default=None, metavar="FIRM.docx",
                   help="列出模板缺少的、报告要用的样式 (缺少时退出码 2)")
    p.set_defaults(handler=_cmd_report)

    p = sub.add_parser("templates", help="行业模板: list | show KEY | check PATH")
    tsub = p.add_subparsers(dest="templates_command", required=True, parser_class=_Parser)
    tsub.add_parser("list")
    s = tsub.add_parser("show")
    s.add_argument("key")
    c = tsub.add_parser("check")
    c.add_argument("path")
    p.set_defaults(handler=_cmd_templates)

    p = sub.add_parser("platforms", help="订单导出平台模板: list | show KEY | check PATH")
    psub = p.add_subparsers(dest="platforms_command", required=True, parser_class=_Parser)
    psub.add_parser("list")
    s = psub.add_parser("show")
    s.add_argument("key")
    c = psub.add_parser("check")
    c.add_argument("path")
    p.set_defaults(handler=_cmd_platforms)

    p = sub.add_parser("live", help="在本机启动现场诊断会话")
    p.add_argument("brief")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--lab", action="store_true", help="顾问视图: 在 JupyterLab 中打开四个笔记本")
    p.add_argument("--out", default="outputs", help="分析结果所在的输出目录 (与 diag run 相同, 默认 outputs)")
    p.set_defaults(handler=_cmd_live)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit status (0 ok, 2 bad input, 1 internal error)."""
    try:
        args = build_parser().parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except DiagError as exc:
        print(f"error: {exc.line()}", file=sys.stderr)
        for line in getattr(exc, "details", [])[1:]:
            print(f"  also: {line}", file=sys.stderr)
        return 2
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback, exit 1
        import tempfile
        import traceback

        log = Path(tempfile.gettempdir()) / "diag-error.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f" (details in {log})"
        except OSError:
            where = ""
        print(f"error: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return 1
