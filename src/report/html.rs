//! The portfolio as one static page: no server, no external assets. A renewal timeline, charts
//! of status and value, and a table of contracts sortable by any column.

use std::fmt::Write as _;

use super::{Report, money};
use crate::output::html_escape;

const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1a1a1a}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.8rem 1rem;min-width:12rem}\
.card b{display:block;font-size:1.4rem}table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid #eee;padding:4px 8px;text-align:left}\
th{cursor:pointer;background:#f6f6f6;position:sticky;top:0}th[aria-sort]::after{content:' ↕';color:#999}td.n{text-align:right;font-variant-numeric:tabular-nums}\
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
document.querySelectorAll('#contracts th').forEach((th, i) => th.addEventListener('click', () => sortTable(i)));
";

fn bar_chart(title: &str, bars: &[(String, f64, String)]) -> String {
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let height = 22 * bars.len() + 10;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"520\" height=\"{height}\" viewBox=\"0 0 520 {height}\">",
        html_escape(title)
    );
    for (i, (label, value, shown)) in bars.iter().enumerate() {
        let y = 5 + i * 22;
        let width = (value / max * 300.0).round();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"130\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"#3b6ea8\"/><text x=\"{}\" y=\"{}\" class=\"value\">{}</text>",
            y + 12,
            html_escape(label),
            140.0 + width,
            y + 12,
            html_escape(shown)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The page.
#[must_use]
pub fn page(report: &Report) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Contract portfolio</h1><p>As of {} · {} contracts</p><div class=\"cards\">",
        report.as_of, report.contracts
    );
    for (currency, m) in &report.value {
        let _ = write!(
            body,
            "<div class=\"card\" data-currency=\"{}\">{} per year<b class=\"annual\">{}</b>{} one-off · {} contracts in force</div>",
            html_escape(currency),
            html_escape(currency),
            money(m.annual),
            money(m.one_off),
            m.contracts
        );
    }
    let soon = report.upcoming.get("within_90_days").map_or(0, Vec::len);
    let _ = write!(
        body,
        "<div class=\"card\">Coming up in 90 days<b id=\"upcoming-count\">{soon}</b>renewals, expiries, notice deadlines</div>"
    );
    let _ = write!(
        body,
        "<div class=\"card\">Need attention<b id=\"attention-count\">{}</b>without owner or with findings</div></div>",
        report.without_owner.len() + report.with_findings.len()
    );

    // Timeline: the next 90 days, one marker per event.
    body.push_str("<h2>Renewal timeline</h2>");
    let events = report.upcoming.get("within_90_days").cloned().unwrap_or_default();
    let height = 30 + 18 * events.len().max(1);
    let _ = write!(
        body,
        "<svg id=\"timeline\" role=\"img\" aria-label=\"Renewal timeline\" width=\"900\" height=\"{height}\" viewBox=\"0 0 900 {height}\"><line x1=\"200\" y1=\"20\" x2=\"880\" y2=\"20\" stroke=\"#999\"/>"
    );
    for day in [0, 30, 60, 90] {
        let x = 200 + day * 680 / 90;
        let _ = write!(
            body,
            "<line x1=\"{x}\" y1=\"15\" x2=\"{x}\" y2=\"25\" stroke=\"#999\"/><text x=\"{x}\" y=\"12\" text-anchor=\"middle\">+{day}d</text>"
        );
    }
    for (i, event) in events.iter().enumerate() {
        let x = 200 + event.days.clamp(0, 90) * 680 / 90;
        let y = 40 + i * 18;
        let color = match event.kind {
            crate::remind::EventKind::NoticeDeadline => "#c0392b",
            crate::remind::EventKind::Expiry => "#a15c00",
            _ => "#27ae60",
        };
        let _ = write!(
            body,
            "<g class=\"event\"><circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"{color}\"/><text x=\"0\" y=\"{}\">{} {}</text><text x=\"{}\" y=\"{}\">{}</text></g>",
            y + 4,
            html_escape(&event.id),
            event.kind.as_str(),
            x + 8,
            y + 4,
            event.date
        );
    }
    body.push_str("</svg>");

    body.push_str("<h2>By status</h2>");
    let status: Vec<(String, f64, String)> =
        report.by_status.iter().map(|(k, t)| (k.clone(), t.count as f64, t.count.to_string())).collect();
    body.push_str(&bar_chart("Contracts by status", &status));
    body.push_str("<h2>Value per year by type</h2>");
    let mut values: Vec<(String, f64, String)> = Vec::new();
    for (kind, tally) in &report.by_type {
        for (currency, value) in &tally.annual_value {
            values.push((format!("{kind} ({currency})"), *value, format!("{currency} {}", money(*value))));
        }
    }
    body.push_str(&bar_chart("Value per year by type", &values));

    if !report.cycle_times.is_empty() {
        body.push_str("<h2>Cycle times</h2><table><thead><tr><th>Type</th><th>Median days</th><th>Min</th><th>Max</th><th>Contracts</th></tr></thead><tbody>");
        for (kind, s) in &report.cycle_times {
            let _ = write!(
                body,
                "<tr><td>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                html_escape(kind),
                s.median,
                s.min,
                s.max,
                s.count
            );
        }
        body.push_str("</tbody></table>");
    }

    body.push_str("<h2>Contracts</h2><table id=\"contracts\"><thead><tr>");
    for header in [
        "Id",
        "Title",
        "Type",
        "Status",
        "Owner",
        "Counterparties",
        "Value per year",
        "Next event",
        "Notice by",
        "Findings",
    ] {
        let _ = write!(body, "<th aria-sort=\"none\">{header}</th>");
    }
    body.push_str("</tr></thead><tbody>");
    for row in &report.rows {
        let value = row
            .annual_value
            .map(|v| format!("{} {}", row.currency.as_deref().unwrap_or(""), money(v)))
            .unwrap_or_default();
        let next =
            row.next_event_date.map(|d| format!("{} {d}", row.next_event.as_deref().unwrap_or(""))).unwrap_or_default();
        let warn = if row.findings > 0 { " class=\"n warn\"" } else { " class=\"n\"" };
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\" data-sort=\"{}\">{}</td><td data-sort=\"{}\">{}</td><td>{}</td><td{warn}>{}</td></tr>",
            html_escape(&row.id),
            html_escape(&row.title),
            html_escape(&row.kind),
            html_escape(&row.status),
            html_escape(row.owner.as_deref().unwrap_or("")),
            html_escape(&row.counterparties.join(", ")),
            row.annual_value.unwrap_or(0.0),
            html_escape(&value),
            row.next_event_date.map(|d| d.to_string()).unwrap_or_default(),
            html_escape(&next),
            row.next_notice_deadline.map(|d| d.to_string()).unwrap_or_default(),
            row.findings
        );
    }
    body.push_str("</tbody></table>");
    if let Some(note) = &report.history_note {
        let _ = write!(body, "<p><em>{}</em></p>", html_escape(note));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Contract portfolio {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        report.as_of
    )
}
