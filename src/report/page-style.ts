/** The report page's style sheet, inlined into its head. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #2e3440; --soft: #4c566a; --line: #e5e9f0; --bg: #f4f6f9; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; margin-bottom: 14px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
h1 span { color: var(--accent); }
header p { margin: 0; color: var(--soft); }
h2 { font-size: 15px; margin: 0 0 2px; }
.note { margin: 0 0 8px; color: var(--soft); font-size: 12.5px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; margin-bottom: 14px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.kpi b { display: block; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi span { color: var(--soft); font-size: 12px; }
.kpi.alert b { color: #bf3b3a; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 14px; min-width: 0; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 14px; }
.cols > .card { margin-bottom: 14px; }
.chart { width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--soft); font-weight: 600; position: sticky; top: 0; background: #fff; }
td.n, th.n { text-align: right; }
td.wrap { white-space: normal; word-break: break-all; }
.scroll { max-height: 420px; overflow: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 6px 0 0; font-size: 13px; }
dt { color: var(--soft); }
dd { margin: 0; word-break: break-word; }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--accent); }
pre { background: var(--bg); padding: 10px; border-radius: 6px; overflow: auto; font-size: 12px; max-height: 360px; }
footer { color: var(--soft); font-size: 12px; text-align: center; margin-top: 8px; }
.bad { color: #bf3b3a; font-weight: 600; }
`;
