/** The page's only stylesheet, inlined: system fonts, no web fonts or external CSS. */
export const PAGE_STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #f6f8fa; }
h1 { font-size: 22px; margin: 8px 0; }
h2 { font-size: 19px; margin: 0 0 6px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
section, header, .claims-block { background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; padding: 14px 18px; margin: 14px 0; }
.muted { color: #59636e; }
.env { margin: 2px 0; color: #3d444d; }
.status { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 10px; vertical-align: middle; }
.status-ok { background: #d3f5dc; color: #0f5323; }
.status-warn { background: #fff1c2; color: #6b4400; }
.status-bad { background: #ffdcd7; color: #82071e; }
.warnings { background: #fff8e1; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 14px 8px 30px; }
.error { background: #ffebe9; border-left: 4px solid #cf222e; padding: 6px 10px; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { border-bottom: 1px solid #d8dee4; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; font-size: 13px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.quote { max-width: 360px; }
.verdict { display: inline-block; font-weight: 600; font-size: 12.5px; padding: 1px 8px; border: 1px solid; border-radius: 10px; white-space: nowrap; cursor: help; }
details summary { cursor: pointer; color: #0969da; font-size: 12.5px; }
details p { margin: 4px 0; font-size: 12.5px; }
.tally { margin: 0 0 6px; font-weight: 600; }
figure { margin: 8px 0; }
figcaption { font-size: 13px; font-weight: 600; margin-bottom: 2px; }
svg.plot { display: block; width: 100%; height: auto; max-width: 820px; font-family: inherit; }
svg.plot .tick { font-size: 11px; fill: #3d444d; }
svg.plot .axis-label { font-size: 11.5px; fill: #1f2328; }
svg.plot .bar-label, svg.plot .bar-value { font-size: 11.5px; fill: #1f2328; }
svg.plot .event-label { font-size: 10px; fill: #6b4400; }
svg.plot .segment-label { font-size: 10.5px; fill: #ffffff; font-weight: 600; }
svg.plot .reference-label { font-size: 11px; fill: #24292f; font-weight: 600; }
figure.headline { border-left: 4px solid #0969da; padding: 4px 0 4px 12px; margin: 10px 0 14px; }
figure.headline > figcaption { font-size: 14px; }
.headline-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 8px 18px; }
.headline-panels svg.plot { max-width: 600px; }
.headline-note { margin: 2px 0 0; font-size: 12.5px; }
table.figures td:last-child { font-size: 12.5px; }
svg.plot .no-data { font-size: 14px; fill: #59636e; }
.small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 10px 18px; }
.small-multiples figure { margin: 0; }
.small-multiples svg.plot { max-width: 520px; }
.legend { list-style: none; padding: 0; margin: 4px 0 8px; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12.5px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { display: inline-block; width: 22px; height: 0; border-top-width: 3px; }
.swatch-area { height: 12px; border: 1px solid #d4a72c; }
a { color: #0969da; }
@media (max-width: 900px) { body { padding: 8px; } table.claims td.num, .verdict { white-space: normal; } }
`;
