//! The portfolio as one static page: no server, no external assets. A renewal timeline, charts
//! of status and value, and a table of contracts sortable by any column.

use pactum_core::report::Report;

const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;min-width:12rem}\
.card b{display:block;font-size:1.4rem}table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left}\
th{background:#f6f6f6;position:sticky;top:0}th button.sort{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:inherit}th button.sort:focus-visible{outline:2px solid #3b6ea8;outline-offset:2px}th[aria-sort]::after{content:' ↕';color:#999}td.n{text-align:right;font-variant-numeric:tabular-nums}\
svg text{font:12px system-ui,sans-serif}.warn{color:#a15c00}";

const SCRIPT: &str = r"
function sortTable(column) {
  const table = document.getElementById('contracts');
  const body = table.tBodies[0];
  const header = table.tHead.rows[0].cells[column];
  const ascending = header.getAttribute('aria-sort') !== 'ascending';
  for (const cell of table.tHead.rows[0].cells) cell.setAttribute('aria-sort', 'none');
  header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  const value = row => row.cells[column].dataset.sort ?? row.cells[column].textContent;
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = value(a), y = value(b);
    const nx = parseFloat(x), ny = parseFloat(y);
    const order = !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
    return ascending ? order : -order;
  });
  for (const row of rows) body.appendChild(row);
}
// Each header is a button: reachable with Tab, sorted with Enter or Space.
document.querySelectorAll('#contracts th button').forEach((button, i) => button.addEventListener('click', () => sortTable(i)));
";

/// A horizontal bar chart's geometry: the page template draws it.
fn bar_chart(heading: &str, title: &str, bars: &[(String, f64, String)]) -> serde_json::Value {
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let bars: Vec<serde_json::Value> = bars
        .iter()
        .enumerate()
        .map(|(i, (label, value, shown))| {
            let y = 5 + i * 22;
            let width = (value / max * 300.0).round();
            serde_json::json!({ "label": label, "shown": shown, "y": y, "text_y": y + 12, "width": width, "value_x": 140.0 + width })
        })
        .collect();
    serde_json::json!({ "heading": heading, "title": title, "height": 22 * bars.len() + 10, "bars": bars })
}

/// The page, in the language `lang` (`[repository] language`).
#[must_use]
pub fn page(report: &Report, lang: &str) -> String {
    let cards: Vec<serde_json::Value> = report
        .value
        .iter()
        .map(|(currency, m)| {
            serde_json::json!({ "currency": currency, "annual": m.annual.for_people(), "one_off": m.one_off.for_people(), "contracts": m.contracts })
        })
        .collect();
    // Timeline: the next 90 days, one marker per event.
    let events = report.upcoming.get("within_90_days").cloned().unwrap_or_default();
    let ticks: Vec<serde_json::Value> =
        [0, 30, 60, 90].iter().map(|day| serde_json::json!({ "day": day, "x": 200 + day * 680 / 90 })).collect();
    let markers: Vec<serde_json::Value> = events
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let x = 200 + event.days.clamp(0, 90) * 680 / 90;
            let y = 40 + i * 18;
            let color = match event.kind {
                pactum_core::remind::EventKind::NoticeDeadline => "#c0392b",
                pactum_core::remind::EventKind::Expiry => "#a15c00",
                _ => "#27ae60",
            };
            serde_json::json!({
                "x": x, "y": y, "text_y": y + 4, "label_x": x + 8, "color": color,
                "id": event.id, "kind": event.kind.as_str(), "date": event.date.to_string(),
            })
        })
        .collect();
    let status: Vec<(String, f64, String)> =
        report.by_status.iter().map(|(k, t)| (k.clone(), t.count as f64, t.count.to_string())).collect();
    let mut values: Vec<(String, f64, String)> = Vec::new();
    for (kind, tally) in &report.by_type {
        for (currency, value) in &tally.annual_value {
            values.push((
                format!("{kind} ({currency})"),
                value.approximate(),
                format!("{currency} {}", value.for_people()),
            ));
        }
    }
    let cycle_times: Vec<serde_json::Value> = report
        .cycle_times
        .iter()
        .map(|(kind, s)| {
            serde_json::json!({ "kind": kind, "median": format!("{:.1}", s.median), "min": s.min, "max": s.max, "count": s.count })
        })
        .collect();
    // Obligations performed: all, then by counterparty and by owner.
    let compliance = &report.compliance;
    let performed: Vec<serde_json::Value> = if compliance.total.is_empty() {
        Vec::new()
    } else {
        std::iter::once(("All executed contracts".to_owned(), compliance.total))
            .chain(compliance.by_counterparty.iter().map(|(name, c)| (format!("Counterparty: {name}"), *c)))
            .chain(compliance.by_owner.iter().map(|(name, c)| (format!("Owner: {name}"), *c)))
            .map(|(name, c)| {
                serde_json::json!({ "name": name, "on_time": c.met_on_time, "late": c.met_late, "missed": c.missed, "open": c.open })
            })
            .collect()
    };
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|row| {
            let value = row
                .annual_value
                .map(|v| format!("{} {}", row.currency.as_deref().unwrap_or(""), v.for_people()))
                .unwrap_or_default();
            let next = row
                .next_event_date
                .map(|d| format!("{} {d}", row.next_event.as_deref().unwrap_or("")))
                .unwrap_or_default();
            serde_json::json!({
                "id": row.id, "title": row.title, "kind": row.kind, "status": row.status,
                "owner": row.owner.as_deref().unwrap_or(""), "counterparties": row.counterparties.join(", "),
                "annual_sort": row.annual_value.map_or(0.0, pactum_core::contract::Amount::approximate), "value": value,
                "next_sort": row.next_event_date.map(|d| d.to_string()).unwrap_or_default(), "next": next,
                "notice": match row.notice_by {
                    Some(day) if day < report.as_of => {
                        format!("{}: renews automatically", pactum_core::report::notice_shown(day, report.as_of))
                    }
                    Some(day) => pactum_core::report::notice_shown(day, report.as_of),
                    None => String::new(),
                },
                "notice_sort": row.notice_by.map(|d| d.to_string()).unwrap_or_default(),
                "findings": row.findings,
            })
        })
        .collect();
    crate::print::page::render(
        "report.html",
        &serde_json::json!({
            "style": STYLE,
            "script": SCRIPT,
            "as_of": report.as_of.to_string(),
            "contracts": report.contracts,
            "cards": cards,
            "soon": events.len(),
            "attention": report.without_owner.len() + report.with_findings.len(),
            "timeline": { "height": 30 + 18 * events.len().max(1), "ticks": ticks, "events": markers },
            "charts": [
                bar_chart("By status", "Contracts by status", &status),
                bar_chart("Value per year by type", "Value per year by type", &values),
            ],
            "cycle_times": cycle_times,
            "performed": performed,
            "headers": ["Id", "Title", "Type", "Status", "Owner", "Counterparties", "Value per year", "Next event", "Notice by", "Findings"],
            "rows": rows,
            "history_note": report.history_note,
            "measured": !report.cycle_times.is_empty(),
        }),
        lang,
    )
}
