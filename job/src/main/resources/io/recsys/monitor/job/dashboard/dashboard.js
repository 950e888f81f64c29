// The recsys-monitor dashboard: draws one data object (DashboardData in the job) with Apache
// ECharts. A report carries the object inline; the live page fetches it from the server that
// serves this script, again whenever the run has committed new records.
(function () {
  'use strict';

  var ML = [
    ['CTR', 'Click-through rate (%)'],
    ['ConversionRate', 'Conversion rate (%)'],
    ['AverageOrderValue', 'Average order value'],
    ['RevenueFromRecommendations', 'Revenue from recommendations'],
    ['DiversityScore', 'Diversity score'],
    ['CoveragePercentage', 'Catalogue coverage (%)'],
    ['NDCGAt10', 'NDCG@10 (online)'],
    ['PrecisionAt10', 'Precision@10 (online)']
  ];
  var OPERATIONS = [
    ['ErrorRate', 'Error rate per minute (%)'],
    ['RequestsPerSecond', 'Requests per second'],
    ['Errors', 'Errors per minute'],
    ['Availability', 'Availability (%)'],
    ['EventLagSeconds', 'Event lag (s)']
  ];
  var LATENCY = ['LatencyP50', 'LatencyP95', 'LatencyP99'];
  // The bands of the p99 alarm only, as on the guide's dashboard: three alarms' bands would overlap.
  var LATENCY_BANDS = ['LatencyP99'];
  var PREDICTION_DRIFT = [
    ['FeatureDrift', 'Largest feature drift'],
    ['PredictionDrift', 'Prediction score drift (KS D)'],
    ['PredictionMeanShift', 'Prediction mean shift (sd)']
  ];
  var QUALITY = [
    ['FeatureMissingRate', 'Feature missing rate (%)'],
    ['FieldMissingRate', 'Field missing rate (%)'],
    ['InvalidEvents', 'Invalid events by rule'],
    ['EventVolume', 'Event volume by stream']
  ];
  var EVENT_COLOURS = {
    'raised': '#d62728', 'escalated': '#8b0000', 'de-escalated': '#ff7f0e',
    'resolved': '#2ca02c', 'held back': '#7f7f7f', 'repeat': '#9467bd', 'flapping': '#e377c2'
  };

  var charts = {};
  var timeRange = {};
  var drawn = {};
  var current = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function chartIn(parentId, id, cls) {
    var box = document.getElementById(id);
    if (!box) {
      box = el('div', { id: id, 'class': cls || 'chart' });
      document.getElementById(parentId).appendChild(box);
    }
    if (!charts[id]) { charts[id] = echarts.init(box, null, { renderer: 'canvas' }); }
    return charts[id];
  }

  function metricThresholds(data, metric) {
    return data.thresholds.filter(function (t) { return t.metric === metric; });
  }

  // Warning and critical bands of an alarm: between the two levels, and beyond the critical one.
  function bands(thresholds, dataMax) {
    var areas = [];
    var lines = [];
    var top = dataMax;
    thresholds.forEach(function (t) {
      [t.warning, t.critical].forEach(function (v) {
        if (v !== undefined) { top = Math.max(top, v * (t.lower_is_worse ? 1.05 : 1.15)); }
      });
    });
    thresholds.forEach(function (t) {
      var w = t.warning, c = t.critical;
      if (t.lower_is_worse) {
        if (c !== undefined) { areas.push([{ name: 'critical', yAxis: Math.min(0, c), itemStyle: { color: 'rgba(214,39,40,0.13)' } }, { yAxis: c }]); }
        if (w !== undefined) { areas.push([{ name: 'warning', yAxis: c !== undefined ? c : 0, itemStyle: { color: 'rgba(255,165,0,0.15)' } }, { yAxis: w }]); }
      } else {
        if (w !== undefined) { areas.push([{ name: 'warning', yAxis: w, itemStyle: { color: 'rgba(255,165,0,0.15)' } }, { yAxis: c !== undefined ? c : top }]); }
        if (c !== undefined) { areas.push([{ name: 'critical', yAxis: c, itemStyle: { color: 'rgba(214,39,40,0.13)' } }, { yAxis: top }]); }
      }
      if (w !== undefined) { lines.push({ yAxis: w, name: 'warning ' + t.alarm, lineStyle: { color: '#ff9800' } }); }
      if (c !== undefined) { lines.push({ yAxis: c, name: 'critical ' + t.alarm, lineStyle: { color: '#d62728' } }); }
    });
    return { areas: areas, lines: lines, top: top };
  }

  // The next round number (1, 2 or 5 times a power of ten) at or above v.
  function niceCeil(v) {
    if (!(v > 0)) { return v; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= v) { return steps[i] * p; } }
    return 10 * p;
  }

  function maxOf(seriesList) {
    var m = -Infinity;
    seriesList.forEach(function (s) { s.data.forEach(function (p) { if (p[1] > m) { m = p[1]; } }); });
    return m === -Infinity ? 0 : m;
  }

  // One chart of a metric: a line per series (overall, per model version or per dimension value),
  // the alarm's bands behind them, and a vertical mark at each alert on the metric.
  function lineChart(parentId, id, title, data, metrics, alerts, options) {
    options = options || {};
    var series = [];
    metrics.forEach(function (metric) {
      var m = data.metrics[metric];
      if (!m) { return; }
      Object.keys(m.series).forEach(function (label) {
        if (options.overallOnly && label !== 'all') { return; }
        var name = metrics.length > 1 ? metric + (label === 'all' ? '' : ' ' + label) : label;
        series.push({ name: name, type: 'line', showSymbol: m.series[label].length < 40, symbolSize: 4,
          data: m.series[label], sampling: 'lttb' });
      });
    });
    if (!series.length) { return; }
    var thresholds = [];
    (options.bandsOf || metrics).forEach(function (metric) { thresholds = thresholds.concat(metricThresholds(data, metric)); });
    var b = bands(thresholds, maxOf(series));
    var alertLines = (alerts || []).filter(function (a) { return metrics.indexOf(a.metric) >= 0; })
      .map(function (a) {
        return { xAxis: a.time, name: a.event, label: { formatter: a.event, fontSize: 9 },
          lineStyle: { color: EVENT_COLOURS[a.event] || '#333', type: 'dashed' } };
      });
    series[0].markArea = { silent: true, data: b.areas };
    series[0].markLine = { silent: true, symbol: 'none', label: { show: false },
      data: b.lines.concat(alertLines) };
    var chart = chartIn(parentId, id);
    chart.setOption({
      animation: false, useUTC: true,
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 24, textStyle: { fontSize: 11 } },
      grid: { left: 50, right: 16, top: 56, bottom: 28 },
      xAxis: { type: 'time', min: timeRange.min, max: timeRange.max },
      yAxis: { type: 'value', max: thresholds.length ? function (v) { return niceCeil(Math.max(v.max, b.top)); } : null },
      series: series
    }, true);
    drawn.charts[id] = describe(chart, thresholds, alertLines.length);
  }

  // What a chart drew, from the chart's own option: the browser test checks it.
  function describe(chart, thresholds, alertMarks) {
    var option = chart.getOption();
    var out = { series: {}, bands: [], alerts: alertMarks };
    option.series.forEach(function (s) {
      out.series[s.name] = s.data.length;
      if (s.markArea && s.markArea.data) {
        s.markArea.data.forEach(function (a) { out.bands.push([a[0].name, a[0].yAxis, a[1].yAxis]); });
      }
    });
    out.thresholds = thresholds.map(function (t) { return t.alarm; });
    return out;
  }

  function alertTimeline(data) {
    var alerts = data.alerts;
    var table = document.getElementById('alert-table');
    table.innerHTML = '';
    drawn.alerts = { count: alerts.length, events: {} };
    if (!alerts.length) {
      document.getElementById('alert-timeline').textContent = 'No alerts.';
      document.getElementById('alert-timeline').className = 'wide empty';
      return;
    }
    var rows = [];
    alerts.forEach(function (a) {
      var row = a.alarm_name + (a.series === 'overall' ? '' : ' ' + a.series);
      if (rows.indexOf(row) < 0) { rows.push(row); }
      drawn.alerts.events[a.event] = (drawn.alerts.events[a.event] || 0) + 1;
    });
    var points = alerts.map(function (a, i) {
      var row = a.alarm_name + (a.series === 'overall' ? '' : ' ' + a.series);
      return { value: [a.time, rows.indexOf(row), i], itemStyle: { color: EVENT_COLOURS[a.event] || '#333' },
        symbol: a.event === 'held back' ? 'emptyCircle' : a.event === 'resolved' ? 'diamond' : 'circle',
        symbolSize: a.severity === 'critical' ? 14 : 10 };
    });
    var box = document.getElementById('alert-timeline');
    box.className = 'wide';
    box.style.height = Math.max(140, 60 + rows.length * 26) + 'px';
    var chart = chartIn('alert-timeline', 'alert-timeline', 'wide');
    chart.resize();
    chart.setOption({
      animation: false, useUTC: true,
      tooltip: { formatter: function (p) { var a = alerts[p.value[2]]; return a.event + ' ' + a.severity + ' ' + (a.priority || '') + '<br>' + a.alarm_name + ' ' + a.series + '<br>' + (a.summary || ''); } },
      grid: { left: 330, right: 20, top: 12, bottom: 28 },
      xAxis: { type: 'time', min: timeRange.min, max: timeRange.max },
      yAxis: { type: 'category', data: rows, axisLabel: { fontSize: 10, width: 320, overflow: 'truncate' } },
      series: [{ type: 'scatter', name: 'alerts', data: points }]
    }, true);
    chart.off('click');
    chart.on('click', function (p) { showAlert(alerts[p.value[2]]); });
    table.appendChild(headRow(['time (UTC)', 'event', 'severity', 'priority', 'alarm', 'series', 'value', 'threshold']));
    alerts.forEach(function (a) {
      var tr = el('tr', { 'class': 'alert-row', 'data-alarm': a.alarm_name, 'data-event': a.event });
      [new Date(a.time).toISOString().replace('.000Z', 'Z'), a.event, a.severity, a.priority || '',
        a.alarm_name, a.series, a.value === undefined ? '' : a.value, a.threshold === undefined ? '' : a.threshold]
        .forEach(function (v, i) { tr.appendChild(el('td', i === 2 ? { 'class': 'sev-' + a.severity } : {}, String(v))); });
      tr.addEventListener('click', function () { showAlert(a); });
      table.appendChild(tr);
    });
  }

  function headRow(names) {
    var tr = el('tr');
    names.forEach(function (n) { tr.appendChild(el('th', {}, n)); });
    return tr;
  }

  function showAlert(a) {
    var box = document.getElementById('alert-detail');
    box.innerHTML = '';
    box.className = '';
    box.appendChild(el('div', { 'class': 'sev-' + a.severity },
      a.event + ': ' + a.severity.toUpperCase() + ' ' + (a.priority || '') + ' ' + a.alarm_name + ' (' + a.series + ') at ' + new Date(a.time).toISOString()));
    box.appendChild(el('div', {}, a.summary || ''));
    if (a.reason) { box.appendChild(el('div', { 'class': 'legend' }, a.reason)); }
    if (a.held_back_by) { box.appendChild(el('div', {}, 'Held back by ' + a.held_back_by)); }
    if (a.action) { box.appendChild(el('div', {}, 'Action: ' + a.action)); }
    var runbook = [].concat(a.runbook || []);
    if (runbook.length) {
      box.appendChild(el('div', {}, 'Runbook:'));
      var ol = el('ol');
      runbook.forEach(function (step) { ol.appendChild(el('li', {}, String(step))); });
      box.appendChild(ol);
    }
  }

  function driftHeatMaps(data) {
    var parent = document.getElementById('drift');
    drawn.drift = {};
    var versions = Object.keys(data.drift);
    if (!versions.length) {
      parent.className = 'empty';
      parent.textContent = 'No drift reports (run with a reference profile: --reference).';
      return;
    }
    parent.className = '';
    versions.forEach(function (version) {
      var byFeature = data.drift[version];
      var features = Object.keys(byFeature).filter(function (f) { return f !== '_model'; });
      if (byFeature._model) { features.push('_model'); }
      var times = {};
      features.forEach(function (f) { byFeature[f].forEach(function (c) { times[c[0]] = true; }); });
      var windows = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
      var index = {};
      windows.forEach(function (t, i) { index[t] = i; });
      var cells = [], marks = [], top = 0.3;
      features.forEach(function (f, y) {
        byFeature[f].forEach(function (c) {
          // cell: window end, distance, drifted, statistic, p-value
          var v = f === '_model' ? (c[2] ? 1 : 0) * top : c[1];
          cells.push([index[c[0]], y, v, c[3], c[4]]);
          if (c[2]) { marks.push([index[c[0]], y]); }
        });
      });
      var id = 'drift-' + version.replace(/[^A-Za-z0-9_-]/g, '_');
      var box = document.getElementById(id);
      if (!box) {
        parent.appendChild(el('div', { 'class': 'legend' }, 'Model version ' + version));
        box = el('div', { id: id, 'class': 'wide' });
        parent.appendChild(box);
      }
      box.style.height = (70 + features.length * 22) + 'px';
      var chart = chartIn('drift', id, 'wide');
      chart.resize();
      var labels = windows.map(function (t) { return new Date(t).toISOString().substring(11, 16); });
      chart.setOption({
        animation: false,
        tooltip: { formatter: function (p) {
          var c = p.data; return features[c[1]] + ' ' + new Date(windows[c[0]]).toISOString() +
            (p.seriesType === 'heatmap' ? '<br>distance ' + c[2] + ', statistic ' + c[3] + ', p ' + c[4] : '<br>drifted'); } },
        grid: { left: 130, right: 80, top: 10, bottom: 40 },
        xAxis: { type: 'category', data: labels, splitArea: { show: true } },
        yAxis: { type: 'category', data: features, axisLabel: { fontSize: 10 } },
        // 0.3 and more is the report's "high" severity: one colour beyond it keeps small shifts visible.
        visualMap: { min: 0, max: 0.3, dimension: 2, calculable: true, orient: 'vertical', right: 5, top: 10,
          itemHeight: 80, inRange: { color: ['#f7fbff', '#6baed6', '#fd8d3c', '#bd0026'] }, seriesIndex: 0 },
        series: [
          { type: 'heatmap', name: 'distance', data: cells },
          { type: 'scatter', name: 'drifted', data: marks, symbol: 'path://M0,0L10,10M10,0L0,10', symbolSize: 9,
            itemStyle: { color: '#000', borderColor: '#000', borderWidth: 2 } }
        ]
      }, true);
      var option = chart.getOption();
      drawn.drift[version] = { features: features.length, windows: windows.length,
        cells: option.series[0].data.length, drifted: option.series[1].data.length };
    });
  }

  function barChart(parentId, id, title, counts) {
    var names = Object.keys(counts);
    if (!names.length) { return; }
    var chart = chartIn(parentId, id);
    chart.setOption({
      animation: false,
      title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13 } },
      tooltip: {},
      grid: { left: 250, right: 30, top: 34, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: names.slice().reverse(), axisLabel: { fontSize: 9, width: 240, overflow: 'truncate' } },
      series: [{ type: 'bar', name: title, data: names.slice().reverse().map(function (n) { return counts[n]; }) }]
    }, true);
    drawn.charts[id] = describe(chart, [], 0);
  }

  // A section with no chart yet says why, until its first window arrives.
  function placeholder(id) {
    var section = document.getElementById(id);
    var note = document.getElementById(id + '-empty');
    var empty = !section.querySelector('.chart');
    if (empty && !note && id !== 'prediction-drift') {
      section.appendChild(el('div', { id: id + '-empty', 'class': 'empty' },
        'No points yet: they appear when the first window of these metrics closes.'));
    } else if (!empty && note) {
      note.parentNode.removeChild(note);
    }
  }

  // The event time the run covers (its metric windows and alerts): every time axis shows all of it.
  function extent(data) {
    var min = Infinity, max = -Infinity;
    Object.keys(data.metrics).forEach(function (metric) {
      var series = data.metrics[metric].series;
      Object.keys(series).forEach(function (label) {
        var points = series[label];
        if (points.length) { min = Math.min(min, points[0][0]); max = Math.max(max, points[points.length - 1][0]); }
      });
    });
    data.alerts.forEach(function (a) { min = Math.min(min, a.time); max = Math.max(max, a.time); });
    return min === Infinity ? {} : { min: min, max: max };
  }

  function render(data) {
    current = data;
    drawn = { records: data.records, charts: {} };
    timeRange = extent(data);
    ML.forEach(function (m) { lineChart('ml', 'chart-' + m[0], m[1], data, [m[0]], data.alerts); });
    lineChart('operations', 'chart-Latency', 'Latency p50 / p95 / p99 per minute (ms)', data, LATENCY, data.alerts,
      { overallOnly: true, bandsOf: LATENCY_BANDS });
    OPERATIONS.forEach(function (m) { lineChart('operations', 'chart-' + m[0], m[1], data, [m[0]], data.alerts); });
    alertTimeline(data);
    driftHeatMaps(data);
    PREDICTION_DRIFT.forEach(function (m) { lineChart('prediction-drift', 'chart-' + m[0], m[1], data, [m[0]], data.alerts); });
    barChart('quality', 'chart-DeadLettersByCategory', 'Dead letters by category', data.dead_letters.by_category);
    barChart('quality', 'chart-DeadLettersByReason', 'Dead letters by reason', data.dead_letters.by_reason);
    QUALITY.forEach(function (m) { lineChart('quality', 'chart-' + m[0], m[1], data, [m[0]], data.alerts); });
    ['ml', 'operations', 'prediction-drift', 'quality'].forEach(placeholder);
    document.getElementById('drawn').textContent = JSON.stringify(drawn);
    document.body.setAttribute('data-records', String(data.records));
  }

  function poll() {
    var since = current ? current.records : -1;
    fetch('data.json?since=' + since, { cache: 'no-store' }).then(function (r) {
      if (r.status === 200) { return r.json(); }
      return null;
    }).then(function (data) {
      if (data) { render(data); }
      document.getElementById('status').textContent = 'live: ' + (current ? current.records : 0) +
        ' records, checked ' + new Date().toISOString().substring(11, 19) + ' UTC';
    }).catch(function () {
      document.getElementById('status').textContent = 'the run has ended or cannot be reached';
    }).then(function () { setTimeout(poll, 2000); });
  }

  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  var inline = document.getElementById('dashboard-data').textContent.trim();
  if (inline) {
    var data = JSON.parse(inline);
    render(data);
    document.getElementById('status').textContent = 'report of ' + (data.source || 'a run') +
      (data.generated ? ', written ' + data.generated : '') + ': ' + data.records + ' records';
  } else {
    poll();
  }
})();
