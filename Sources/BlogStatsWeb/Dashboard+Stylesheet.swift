extension Dashboard {
    /// `/static/app.css`: the only styles (the policy allows no inline ones). System fonts,
    /// light and dark by `prefers-color-scheme`, one column on phones.
    public static let stylesheet = #"""
        :root {
          color-scheme: light dark;
          --bg: #f5f6f8; --card: #fff; --text: #1b1f24; --muted: #667085; --line: #e3e6eb;
          --accent: #2f6fed; --accent-soft: rgba(47, 111, 237, .13); --bar: #3d7bf0; --bar-hover: #1d4fc4;
          --up: #14803c; --down: #c62828; --reset: #d9480f; --hatch: #c9ced6;
          --removed: rgba(198, 40, 40, .07); --warn-bg: #fff4e0; --warn-line: #f3c46b; --warn: #6b3d00;
          --note-bg: #eef3fe; --note-line: #c8d8fb;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #0e1116; --card: #161b22; --text: #e6e9ee; --muted: #9aa4b2; --line: #272e38;
            --accent: #6f9dff; --accent-soft: rgba(111, 157, 255, .16); --bar: #5a8cff; --bar-hover: #a9c4ff;
            --up: #4cc173; --down: #ff6b6b; --reset: #ff8a4c; --hatch: #3a424e;
            --removed: rgba(255, 107, 107, .09); --warn-bg: #2d2210; --warn-line: #7a5a1c; --warn: #f6d28e;
            --note-bg: #152036; --note-line: #2b4270;
          }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--text);
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
        }
        a { color: var(--accent); }
        code, .slug { font-family: ui-monospace, "SFMono-Regular", "Liberation Mono", Menlo, monospace; font-size: .9em; }
        .wrap { max-width: 76rem; margin: 0 auto; padding: 0 1.25rem; }

        .masthead { background: var(--card); border-bottom: 1px solid var(--line); }
        .masthead .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem; min-height: 3.4rem; }
        .brand { display: flex; align-items: center; gap: .5rem; font-weight: 700; font-size: 1.05rem;
          color: var(--text); text-decoration: none; letter-spacing: -.01em; }
        .logo { width: 1.1rem; height: 1.1rem; fill: var(--accent); }
        .blogs { display: flex; flex-wrap: wrap; gap: .25rem; }
        .blogs a { padding: .2rem .7rem; border-radius: 999px; color: var(--muted); text-decoration: none; }
        .blogs a:hover { color: var(--text); background: var(--bg); }
        .blogs a[aria-current] { background: var(--accent-soft); color: var(--accent); font-weight: 600; }
        .spacer { flex: 1; }
        .freshness { display: inline-flex; align-items: center; gap: .45rem; font-size: .85rem; color: var(--muted); }
        .freshness::before { content: ""; width: .55rem; height: .55rem; border-radius: 50%; background: var(--up); }
        .freshness.stale { color: var(--down); font-weight: 600; }
        .freshness.stale::before { background: var(--down); }
        .signout { margin: 0; }
        button, select, input {
          font: inherit; color: var(--text); background: var(--card);
          border: 1px solid var(--line); border-radius: .5rem; padding: .3rem .65rem;
        }
        button { cursor: pointer; }
        button:hover { border-color: var(--accent); }
        button[type=submit].primary { background: var(--accent); border-color: var(--accent); color: #fff; }

        main { padding-top: 1.5rem; padding-bottom: 1rem; }
        .heading h1 { margin: 0; font-size: 1.75rem; line-height: 1.2; letter-spacing: -.02em; overflow-wrap: anywhere; }
        .subtitle { margin: .25rem 0 0; color: var(--muted); overflow-wrap: anywhere; }
        .crumbs { margin: 0 0 .5rem; }
        .crumbs a { text-decoration: none; }

        .controls { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem 1.25rem; margin: 1.25rem 0; }
        .presets { display: flex; flex-wrap: wrap; background: var(--card); border: 1px solid var(--line);
          border-radius: .6rem; padding: .2rem; }
        .presets a { padding: .25rem .7rem; border-radius: .45rem; color: var(--text); text-decoration: none;
          font-size: .9rem; white-space: nowrap; }
        .presets a:hover { background: var(--bg); }
        .presets a[aria-current] { background: var(--accent); color: #fff; font-weight: 600; }
        .custom summary { cursor: pointer; color: var(--accent); font-size: .9rem; }
        .custom form { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem .75rem; margin-top: .5rem; }
        .custom small { color: var(--muted); }
        .custom[open] { flex-basis: 100%; order: 3; }
        .step { display: flex; align-items: center; gap: .5rem; margin: 0; font-size: .9rem; color: var(--muted); }
        .step select { margin-left: .35rem; }
        .js .step .apply { display: none; }

        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; margin: 0 0 1rem; }
        .tile { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: .75rem 1rem; }
        .tile dt { color: var(--muted); font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; }
        .tile dd { margin: 0; }
        .tile .value { font-size: 1.65rem; font-weight: 650; letter-spacing: -.02em; font-variant-numeric: tabular-nums; }
        .tile .note { font-size: .85rem; color: var(--muted); }
        .tile .note span { color: var(--muted); font-weight: 400; }
        .change.up { color: var(--up); font-weight: 600; }
        .change.down { color: var(--down); font-weight: 600; }
        .change.new { color: var(--accent); }

        .card { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: 1rem 1.25rem; margin: 0 0 1rem; }
        .card h2 { font-size: 1rem; margin: 0; letter-spacing: -.01em; }
        .charts { display: grid; grid-template-columns: 1fr; gap: 0 1rem; }
        @media (min-width: 1000px) { .charts { grid-template-columns: 1fr 1fr; } }
        figure { margin: 0; }
        .chart { min-width: 0; }
        .chart figcaption { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; min-height: 1.6rem; }
        .readout { color: var(--muted); font-size: .8rem; text-align: right; font-variant-numeric: tabular-nums; }
        .plot { padding: .5rem 1.25rem 0 3.9rem; container-type: inline-size; }
        @container (max-width: 440px) { .x-axis text.alt { display: none; } }
        .chart-svg { display: block; overflow: visible; font-size: 12px; font-variant-numeric: tabular-nums; }
        .chart-svg text { fill: var(--muted); }
        .chart-svg .x-axis text.major { fill: var(--text); font-weight: 600; }
        .grid line { stroke: var(--line); }
        .baseline { stroke: var(--muted); stroke-opacity: .6; }
        .tick { stroke: var(--muted); stroke-opacity: .6; }
        .bars rect { fill: var(--bar); }
        .bars rect:hover { fill: var(--bar-hover); }
        .bars rect.partial { fill-opacity: .55; }
        .bars rect.catchup { fill-opacity: .4; stroke: var(--bar); stroke-width: 1; stroke-dasharray: 3 2; }
        .defs { position: absolute; }
        .bands .gap { fill: url(#hatch); }
        .bands .removed { fill: var(--removed); }
        .band-label { font-size: 11px; }
        .hatch-line { stroke: var(--hatch); stroke-width: 1.5; }
        .reset { stroke: var(--reset); stroke-width: 1.5; stroke-dasharray: 4 3; }
        .chart-svg .reset-label { fill: var(--reset); font-size: 11px; font-weight: 600; }
        .trace .line { fill: none; stroke: var(--accent); stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        .trace .area { fill: var(--accent-soft); }
        .point { fill: transparent; }
        .point:hover, .point.lone { fill: var(--accent); }
        .crosshair { stroke: var(--text); stroke-opacity: .4; visibility: hidden; pointer-events: none; }
        .crosshair.on { visibility: visible; }
        .legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .6rem 0 0 3.9rem; font-size: .8rem; color: var(--muted); }
        .key { display: inline-block; width: .9rem; height: .7rem; margin-right: .35rem; vertical-align: -1px; border-radius: 2px; }
        .key.gap { background: repeating-linear-gradient(135deg, var(--hatch) 0 1.5px, transparent 1.5px 4px); border: 1px solid var(--hatch); }
        .key.catchup { background: var(--accent-soft); border: 1px dashed var(--bar); }
        .key.reset { width: 0; border-left: 2px dashed var(--reset); border-radius: 0; }
        .key.removed { background: var(--removed); border: 1px solid var(--down); }

        .card-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem 1rem; margin-bottom: .5rem; }
        .filter { margin: 0; }
        .filter input { min-width: 14rem; }
        .table-scroll { overflow-x: auto; }
        table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
        th { text-align: left; font-size: .75rem; font-weight: 600; color: var(--muted); text-transform: uppercase;
          letter-spacing: .05em; padding: .45rem .6rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
        td { padding: .55rem .6rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
        tbody tr:last-child td { border-bottom: 0; }
        tbody tr:hover { background: var(--bg); }
        .num { text-align: right; white-space: nowrap; }
        th.num { text-align: right; }
        .rank { color: var(--muted); width: 2.2rem; }
        .post .title { font-weight: 600; color: var(--text); text-decoration: none; overflow-wrap: anywhere; }
        .post .title:hover { color: var(--accent); text-decoration: underline; }
        .post .meta { display: block; font-size: .8rem; color: var(--muted); overflow-wrap: anywhere; }
        .external { text-decoration: none; white-space: nowrap; }
        .post .meta .external { margin-left: .75rem; }
        .trend { width: 8rem; }
        .spark { display: block; width: 7.5rem; height: 1.6rem; }
        .spark rect { fill: var(--bar); }
        .spark-base { stroke: var(--line); }
        .badge { font-size: .75rem; padding: .05rem .5rem; border-radius: 999px; background: var(--removed); color: var(--down); }
        .empty { color: var(--muted); }
        .more { margin: .75rem 0 0; }

        .notice { border-radius: .75rem; padding: .8rem 1rem; margin: 0 0 1rem; background: var(--note-bg); border: 1px solid var(--note-line); }
        .notice.stale { background: var(--warn-bg); border-color: var(--warn-line); color: var(--warn); }
        .notice.stale strong { display: block; }
        .exports { color: var(--muted); margin: 0 0 1rem; }
        .history h2 { margin-bottom: .4rem; }
        .history h2 + ul, .history table + h2 { margin-top: 1.25rem; }
        .presence { margin: 0; padding-left: 1.2rem; }
        .presence .removed { color: var(--down); }

        .login { max-width: 24rem; margin: 3rem auto; }
        .login h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
        .login form { display: grid; gap: .75rem; margin-top: 1rem; }
        .login label { display: grid; gap: .3rem; font-weight: 600; }
        .login .problem { color: var(--down); margin: .5rem 0 0; }

        footer { color: var(--muted); font-size: .8rem; padding-bottom: 2rem; }
        .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
          overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }

        @media (max-width: 640px) {
          .wrap { padding: 0 .85rem; }
          .heading h1 { font-size: 1.4rem; }
          .tiles { grid-template-columns: 1fr 1fr; }
          .tile .value { font-size: 1.3rem; }
          .card { padding: .85rem; }
          .plot { padding-left: 3.3rem; padding-right: .5rem; }
          .legend { margin-left: 0; }
          .rank, .total { display: none; }
          td, th { padding-left: .35rem; padding-right: .35rem; }
          .post .meta .external { display: block; margin-left: 0; }
          .trend { width: 4.5rem; }
          .spark { width: 4.5rem; }
          .filter input { min-width: 0; width: 100%; }
        }
        """#
}
