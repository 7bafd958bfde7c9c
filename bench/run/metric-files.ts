import { summarizeHistogram } from '../analysis/latency-summary.ts';
import type { MetricReport } from '../core/run-summary.ts';
import type { RecorderSet } from '../measure/recorder-set.ts';
import type { ReportFile } from '../report/file-sink.ts';
import { formatHgrm } from '../report/hgrm-writer.ts';
import { formatHlog } from '../report/hlog-writer.ts';

function metricFileBase(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

/** Histogram files of one scenario: `<scenario>/<metric>.hgrm` and `.hlog`, and the summary's metric entries. */
export function metricFiles(
  scenarioId: string,
  recorders: RecorderSet,
): { files: ReportFile[]; metrics: Record<string, MetricReport> } {
  const files: ReportFile[] = [];
  const metrics: Record<string, MetricReport> = {};
  recorders.cutAll();
  for (const name of recorders.names()) {
    const recorder = recorders.metric(name);
    const total = recorder.total();
    const base = `${scenarioId}/${metricFileBase(name)}`;
    files.push({ relativePath: `${base}.hgrm`, content: formatHgrm(total, { unit: 'ms' }) });
    files.push({
      relativePath: `${base}.hlog`,
      content: formatHlog({
        startTimeMs: recorders.startTimeMs,
        intervals: recorder.intervals(),
        tag: metricFileBase(name),
        comment: `${scenarioId} ${name}, values in ns`,
      }),
    });
    metrics[name] = {
      unit: 'ns',
      summary: summarizeHistogram(total),
      trials: recorder.trialHistograms().map(summarizeHistogram),
      clamped: recorder.clamped,
      invalid: recorder.invalid,
      files: { hgrm: `${base}.hgrm`, hlog: `${base}.hlog` },
    };
  }
  return { files, metrics };
}
