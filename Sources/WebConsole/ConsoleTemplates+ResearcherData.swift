/// The researcher's data pages: the variant list of a region, one variant's frequencies, the
/// region viewer and the cohort summary. Charts are inline SVG drawn with presentation
/// attributes only (the CSP allows no inline style); their numbers come from ``BarChart`` and
/// ``RegionTrack``.
extension ConsoleTemplates {
    /// A horizontal bar chart (``BarChart``, prepared as `chart`): each bar a group with a
    /// `<title>`, its label, its bar and its value written after it.
    static let barChart = """
        <figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" width="{{chart.width}}" height="{{chart.height}}" viewBox="0 0 {{chart.width}} {{chart.height}}" aria-label="{{chart.caption}}">
        {{#chart.bars}}<g class="bar{{#suppressed}} suppressed{{/suppressed}}"{{#key}} data-key="{{.}}"{{/key}} data-label="{{label}}" data-value="{{value}}"{{#frequency}} data-frequency="{{.}}"{{/frequency}}{{#alleleCount}} data-allele-count="{{.}}"{{/alleleCount}}{{#alleleNumber}} data-allele-number="{{.}}"{{/alleleNumber}}><title>{{label}}: {{text}}</title>
        <text x="{{labelX}}" y="{{textY}}" text-anchor="end" font-size="12" fill="#1b1f24">{{label}}</text>
        {{^suppressed}}<rect x="{{x}}" y="{{y}}" width="{{length}}" height="{{barHeight}}" fill="{{colour}}"></rect>{{/suppressed}}
        <text class="value" x="{{textX}}" y="{{textY}}" font-size="12" fill="{{textColour}}">{{text}}</text></g>
        {{/chart.bars}}</svg><figcaption>{{chart.caption}}</figcaption></figure>
        """

    static let variants = """
        {{<layout}}{{$content}}
        <h1>{{title}} <code>{{region}}</code></h1>
        <form method="get" action="/console/variants" class="filters">
        <label>{{words.dataRegion}} <input name="region" value="{{region}}" size="30" maxlength="200" required></label>
        \(filterFields)
        <button type="submit">{{words.filter}}</button></form>
        <p class="summary">{{words.dataCohortSamples}}: <strong>{{cohortSamples}}</strong>{{#restriction}} · {{.}}{{/restriction}}</p>
        <p><a class="to-region" href="{{regionLink}}">{{words.dataViewRegion}}</a></p>
        {{#hasVariants}}
        <table class="variants"><thead><tr><th>{{words.dataVariant}}</th><th>{{words.dataType}}</th><th>FILTER</th><th>{{words.dataAlleleCount}}</th><th>{{words.dataAlleleNumber}}</th><th>{{words.dataAlleleFrequency}}</th><th>{{words.dataHomozygous}}</th><th>{{words.dataSamples}}</th></tr></thead>
        <tbody>{{#variants}}<tr class="variant" data-variant="{{name}}"><td><a href="{{href}}">{{name}}</a></td><td>{{type}}</td><td>{{filter}}</td>
        <td class="{{alleleCount.class}}">{{alleleCount.text}}</td><td class="{{alleleNumber.class}}">{{alleleNumber.text}}</td><td class="{{frequency.class}}">{{frequency.text}}</td><td class="{{homozygous.class}}">{{homozygous.text}}</td><td class="{{samples.class}}">{{samples.text}}</td></tr>{{/variants}}</tbody>
        </table>
        {{/hasVariants}}
        {{^hasVariants}}<p class="empty">{{words.dataNoVariants}}</p>{{/hasVariants}}
        {{#next}}<p><a href="{{.}}" rel="next" class="next">{{words.dataMoreVariants}}</a></p>{{/next}}
        <p class="note">{{disclosure}}</p>
        {{/content}}{{/layout}}
        """

    static let variant = """
        {{<layout}}{{$content}}
        <h1>{{title}} <code>{{variant}}</code></h1>
        <form method="get" action="/console/variant" class="filters">
        <label>{{words.dataVariant}} <input name="variant" value="{{variant}}" size="30" maxlength="2100" required></label>
        \(filterFields)
        <button type="submit">{{words.filter}}</button></form>
        {{#found}}
        <dl class="totals"><dt>{{words.dataType}}</dt><dd>{{type}}</dd><dt>FILTER</dt><dd>{{filter}}</dd>
        <dt>{{words.dataAlleleFrequency}}</dt><dd class="total-frequency">{{total.frequency}}</dd><dt>{{words.dataAlleleCount}}</dt><dd>{{total.alleleCount}}</dd>
        <dt>{{words.dataAlleleNumber}}</dt><dd>{{total.alleleNumber}}</dd><dt>{{words.dataHomozygous}}</dt><dd>{{total.homozygous}}</dd><dt>{{words.dataSamples}}</dt><dd>{{total.samples}}</dd></dl>
        <h2>{{words.dataByCancerTypeAndTissue}}</h2>
        \(barChart)
        <table class="strata"><thead><tr><th>{{words.dataCancerType}}</th><th>{{words.dataTissue}}</th><th>{{words.dataSamples}}</th><th>{{words.dataAlleleCount}}</th><th>{{words.dataAlleleNumber}}</th><th>{{words.dataAlleleFrequency}}</th><th>{{words.dataHomozygous}}</th></tr></thead>
        <tbody>{{#strata}}<tr class="stratum"><td>{{cancerType}}</td><td>{{tissue}}</td><td class="{{samples.class}}">{{samples.text}}</td><td class="{{alleleCount.class}}">{{alleleCount.text}}</td><td class="{{alleleNumber.class}}">{{alleleNumber.text}}</td><td class="{{frequency.class}}">{{frequency.text}}</td><td class="{{homozygous.class}}">{{homozygous.text}}</td></tr>{{/strata}}</tbody>
        </table>
        {{/found}}
        {{^found}}<p class="empty">{{words.dataVariantNotListed}}</p>{{/found}}
        <p><a class="to-region" href="{{regionLink}}">{{words.dataViewRegion}}</a></p>
        <p class="note">{{disclosure}}</p>
        {{/content}}{{/layout}}
        """

    static let region = """
        {{<layout}}{{$content}}
        <h1>{{title}} <code>{{region}}</code></h1>
        <form method="get" action="/console/region" class="filters">
        <label>{{words.dataRegion}} <input name="region" value="{{region}}" size="30" maxlength="200" required></label>
        \(filterFields)
        <button type="submit">{{words.filter}}</button></form>
        <nav class="region-nav">{{#moves}}{{#href}}<a class="{{name}}" href="{{href}}">{{label}}</a>{{/href}}{{^href}}<span class="{{name}} disabled">{{label}}</span>{{/href}}{{/moves}}
        <a class="to-list" href="{{listLink}}">{{words.dataVariantList}}</a></nav>
        <figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" width="{{track.width}}" height="{{track.height}}" viewBox="0 0 {{track.width}} {{track.height}}" aria-label="{{track.caption}}">
        <line x1="{{track.left}}" y1="{{track.baseline}}" x2="{{track.right}}" y2="{{track.baseline}}" stroke="#333" stroke-width="1"></line>
        <line x1="{{track.left}}" y1="{{track.top}}" x2="{{track.left}}" y2="{{track.baseline}}" stroke="#999" stroke-width="1"></line>
        <text x="{{track.scaleX}}" y="{{track.top}}" text-anchor="end" font-size="11" fill="#555" class="scale-maximum">{{track.scaleMaximum}}</text>
        <text x="{{track.scaleX}}" y="{{track.baseline}}" text-anchor="end" font-size="11" fill="#555">0</text>
        {{#track.ticks}}<g class="tick" data-position="{{position}}"><line x1="{{x}}" y1="{{baseline}}" x2="{{x}}" y2="{{tickEnd}}" stroke="#333" stroke-width="1"></line><text x="{{x}}" y="{{labelY}}" text-anchor="middle" font-size="11" fill="#333">{{label}}</text></g>
        {{/track.ticks}}{{#track.marks}}<a href="{{href}}" class="mark {{band}}" data-position="{{position}}"{{#frequency}} data-frequency="{{.}}"{{/frequency}}><title>{{label}}: {{text}}</title><rect x="{{x}}" y="{{top}}" width="{{markWidth}}" height="{{height}}" fill="{{fill}}" stroke="{{stroke}}" stroke-width="1"{{#suppressed}} stroke-dasharray="2 2"{{/suppressed}}></rect></a>
        {{/track.marks}}<text x="{{track.left}}" y="{{track.axisLabelY}}" font-size="11" fill="#555">{{track.chromosome}}</text></svg>
        <figcaption class="legend">{{track.caption}} · <span class="common">■ ≥ 10 %</span><span class="low">■ ≥ 1 %</span><span class="rare">■ &lt; 1 %</span><span class="suppressed">□ {{words.dataSuppressedMark}}</span></figcaption></figure>
        <p class="summary">{{words.dataCohortSamples}}: <strong>{{cohortSamples}}</strong> · {{words.dataVariantsShown}}: {{shown}}{{#truncated}} · {{words.dataTruncated}}{{/truncated}}</p>
        <p class="note">{{disclosure}}</p>
        {{/content}}{{/layout}}
        """

    static let cohort = """
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <form method="get" action="/console/cohort" class="filters">
        \(filterFields)
        <button type="submit">{{words.filter}}</button></form>
        <dl class="totals"><dt>{{words.dataCohortSamples}}</dt><dd class="cohort-samples">{{cohortSamples}}</dd><dt>{{words.dataParticipants}}</dt><dd class="cohort-participants">{{cohortParticipants}}</dd>{{#restriction}}<dt>{{words.dataRestriction}}</dt><dd>{{.}}</dd>{{/restriction}}</dl>
        <h2>{{words.dataSamplesByCancerTypeAndTissue}}</h2>
        {{#hasStrata}}\(barChart)
        <table class="strata"><thead><tr><th>{{words.dataCancerType}}</th><th>{{words.dataTissue}}</th><th>{{words.dataSamples}}</th></tr></thead>
        <tbody>{{#strata}}<tr class="stratum"><td>{{cancerType}}</td><td>{{tissue}}</td><td class="{{samples.class}}">{{samples.text}}</td></tr>{{/strata}}</tbody></table>{{/hasStrata}}
        <h2>{{words.dataQualityControl}}</h2>
        <table class="qc"><thead><tr><th>{{words.dataTissue}}</th><th>{{words.dataSamples}}</th><th>{{words.dataMetric}}</th><th>{{words.dataMean}}</th><th>{{words.dataMedian}}</th><th>{{words.dataLowK}}</th><th>{{words.dataHighK}}</th></tr></thead>
        <tbody>{{#qc}}{{#metrics}}<tr class="qc-row" data-tissue="{{tissue}}" data-metric="{{metric}}"><td>{{tissueLabel}}</td><td class="{{samples.class}}">{{samples.text}}</td><td>{{label}}</td>{{#summary}}<td>{{mean}}</td><td>{{median}}</td><td>{{low}}</td><td>{{high}}</td>{{/summary}}{{^summary}}<td colspan="4" class="suppressed">{{words.dataQcHidden}}</td>{{/summary}}</tr>{{/metrics}}{{/qc}}</tbody></table>
        <p class="note">{{disclosure}}</p>
        {{/content}}{{/layout}}
        """
}
