/// The report's only style sheet, inline: tables that fit a desktop screen without scrolling
/// (text wraps at spaces, keys at `_`), one card per table row on a phone, charts that shrink to
/// the width, and print rules for a clean A4 page.
enum ReportStyle {
    static let css = """
    :root{--ink:#1d2430;--muted:#5b6472;--line:#d7dce3;--accent:#1f5f8b;--warn:#fff6e0;--warn-line:#d4a017}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--ink);line-height:1.5;background:#fff}
    main{max-width:80rem;margin:0 auto;padding:1.25rem}
    h1{font-size:1.7rem;line-height:1.25;margin:.5rem 0 1rem}
    h2{font-size:1.3rem;margin:2.25rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
    h2.toc{font-size:1rem;border:none;margin:1rem 0 .25rem}
    h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
    h1,h2,h3,p,li,figcaption,blockquote,.cite{overflow-wrap:anywhere}
    .intro,.meta,.callout,figure,h1{max-width:54rem}
    .meta,.rows,.no-chart{color:var(--muted);font-size:.9rem}
    nav ol{margin:.25rem 0;padding-left:1.4rem} .badge{font-size:.8rem;color:#7a5b00;background:var(--warn);border:1px solid var(--warn-line);border-radius:3px;padding:0 .3rem}
    pre{background:#f4f6f8;border:1px solid var(--line);border-radius:4px;padding:.6rem .8rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;margin:.5rem 0}
    code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
    .table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:4px;margin-top:.75rem}
    table{border-collapse:collapse;width:100%;font-size:.9rem}
    th,td{padding:.35rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    td{overflow-wrap:break-word;min-width:4rem}
    th{background:#eef2f6;font-weight:600}
    td.nw{white-space:nowrap}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums} td.num{white-space:nowrap}
    td.fns{font-size:.8rem;min-width:3rem;max-width:12rem}
    a.fn{text-decoration:none;background:#e8f0f7;border-radius:3px;padding:0 .2rem;margin-right:.1rem;display:inline-block}
    a{color:var(--accent)}
    figure{margin:1rem 0}
    figure svg{width:100%;max-width:34rem;height:auto;display:block}
    figcaption{color:var(--muted);font-size:.85rem}
    .callout{background:var(--warn);border-left:4px solid var(--warn-line);padding:.5rem .8rem;margin:.6rem 0;border-radius:0 4px 4px 0}
    .callout p{margin:.2rem 0} .callout .explain{font-size:.9rem} .callout .lesson{color:var(--muted);font-size:.85rem}
    ol.sources{padding-left:2rem} ol.sources li{margin:.6rem 0} ol.sources li:target{background:#eef6ff}
    .fact{margin:0} .id{color:var(--muted);font-size:.8rem}
    blockquote{margin:.25rem 0 .25rem .25rem;padding-left:.6rem;border-left:3px solid var(--line);font-style:italic}
    .cite{margin:0;color:var(--muted);font-size:.85rem} cite{font-style:normal}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem} dt{font-weight:600} dd{margin:0;overflow-wrap:anywhere}
    @media (max-width:600px){main{padding:.75rem}h1{font-size:1.35rem}dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}
    .table-wrap{overflow:visible;border:none}table,tbody,tr,td{display:block;width:100%}
    thead{display:none}
    tr{border:1px solid var(--line);border-radius:4px;margin:0 0 .6rem;padding:.35rem .6rem}
    td,td.num,td.nw{border:none;padding:.1rem 0;display:grid;grid-template-columns:minmax(6rem,38%) minmax(0,1fr);gap:.6rem;text-align:left;white-space:normal;overflow-wrap:anywhere;max-width:none;min-width:0}
    td.fns{font-size:inherit;max-width:none}
    td::before{content:attr(data-label);font-weight:600;color:var(--muted);overflow-wrap:anywhere}}
    @media print{@page{size:A4;margin:15mm}main{max-width:none;padding:0}body{font-size:10pt}nav{display:none}
    .table-wrap{overflow:visible;border:none}pre{white-space:pre-wrap}figure,.callout,tr,li,blockquote{break-inside:avoid}
    h2,h3{break-after:avoid}a{color:inherit;text-decoration:none}a.fn{background:none}ol.sources li:target{background:none}}
    """
}
