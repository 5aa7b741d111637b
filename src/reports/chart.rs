//! Bar charts as SVG, drawn on the server by `plotters` (no JavaScript): a title, labelled axes
//! with the reader's numbers, a legend, and an SVG `<title>` for screen readers. The page puts
//! the same figures in a table beside it. Heights are `f64` because they are drawn, not added:
//! the exact amounts stay in the report rows.

use plotters::prelude::*;

/// One coloured set of bars, a value per label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// What a chart shows; every text is already in the reader's language.
pub struct Chart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub labels: &'a [String],
    pub series: &'a [Series],
    /// Writes a value on the y axis as the reader writes numbers, with the decimals given.
    pub format: &'a dyn Fn(f64, u32) -> String,
}

const COLOURS: [RGBColor; 10] = [
    RGBColor(0x1f, 0x5f, 0x99),
    RGBColor(0xd9, 0x7b, 0x1c),
    RGBColor(0x3a, 0x8f, 0x4b),
    RGBColor(0xb0, 0x3a, 0x48),
    RGBColor(0x6b, 0x4c, 0x9a),
    RGBColor(0x66, 0x66, 0x66),
    RGBColor(0x17, 0xa2, 0xb8),
    RGBColor(0xc7, 0x5d, 0xab),
    RGBColor(0x8c, 0x6d, 0x31),
    RGBColor(0x99, 0xb8, 0x33),
];

/// Y axis ticks.
const Y_TICKS: usize = 6;

/// The chart as an SVG document.
pub fn svg(chart: &Chart<'_>) -> String {
    let mut out = String::new();
    if draw(chart, &mut out).is_err() || out.is_empty() {
        // Drawing only fails on a backend error; a chart-less page still has its table.
        out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>".to_owned();
    }
    with_title(&out, chart.title)
}

fn draw<'o>(chart: &Chart<'_>, out: &'o mut String) -> Result<(), Box<dyn std::error::Error + 'o>> {
    let root = SVGBackend::with_string(out, (860, 380)).into_drawing_area();
    root.fill(&WHITE)?;
    let slots = chart.labels.len().max(1);
    let values = chart.series.iter().flat_map(|s| s.values.iter().copied());
    let (low, high) = values.fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let high = if high <= low { low + 1.0 } else { high + (high - low) * 0.08 };
    let low = if low < 0.0 { low * 1.08 } else { 0.0 };
    let mut plot = ChartBuilder::on(&root)
        .caption(chart.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(84)
        .build_cartesian_2d(0.0..slots as f64, low..high)?;
    let labels = chart.labels;
    // As many decimals as the tick step needs, and no more: 0, 0.2, 0.4 or 0, 200, 400.
    let step = (high - low) / Y_TICKS as f64;
    let decimals = if step >= 1.0 {
        0
    } else if step >= 0.1 {
        1
    } else {
        2
    };
    let x_format = |x: &f64| {
        let at = x.floor();
        if (x - at - 0.5).abs() < 1e-6 {
            labels.get(at as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    plot.configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(slots * 2 + 1)
        .x_label_formatter(&x_format)
        .y_labels(Y_TICKS)
        .y_label_formatter(&|y| (chart.format)(*y, decimals))
        .x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .draw()?;
    let width = 0.8 / chart.series.len().max(1) as f64;
    for (index, series) in chart.series.iter().enumerate() {
        let colour = COLOURS.get(index % COLOURS.len()).copied().unwrap_or(BLACK);
        let left = |slot: usize| slot as f64 + 0.1 + width * index as f64;
        plot.draw_series(series.values.iter().enumerate().map(|(slot, value)| {
            let (bottom, top) = if *value < 0.0 { (*value, 0.0) } else { (0.0, *value) };
            Rectangle::new([(left(slot), bottom), (left(slot) + width, top)], colour.filled())
        }))?
        .label(series.name.as_str())
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
    }
    if chart.series.len() > 1 {
        plot.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}

/// Adds `<title>` as the first child of the root element, so assistive technology names it.
fn with_title(svg: &str, title: &str) -> String {
    let escaped = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    match svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end + 1)) {
        Some(at) => format!("{}<title>{escaped}</title>{}", &svg[..at], &svg[at..]),
        None => svg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_well_formed_svg_with_its_title_labels_and_numbers() {
        let labels = vec!["2026-09".to_owned(), "2026-10 <&>".to_owned()];
        let series = vec![
            Series { name: "DE".into(), values: vec![3.0, 5.0] },
            Series { name: "FR".into(), values: vec![-1.0, 2.0] },
        ];
        let format = |v: f64, decimals: u32| format!("{v:.*}#", decimals as usize);
        let svg = svg(&Chart {
            title: "Sign-ups & more",
            x_label: "Month",
            y_label: "Customers",
            labels: &labels,
            series: &series,
            format: &format,
        });
        let mut reader = quick_xml::Reader::from_str(&svg);
        let mut texts = String::new();
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(t)) => texts.push_str(t.as_ref()),
                Ok(_) => {}
                Err(e) => panic!("not XML: {e}\n{svg}"),
            }
        }
        assert!(svg.contains("<title>Sign-ups &amp; more</title>"), "{svg}");
        for text in ["Month", "Customers", "2026-09", "DE", "FR", "4#"] {
            assert!(texts.contains(text), "{text} missing in {texts}");
        }
    }
}
