package dev.latchkey.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The soak's three PNG plots (XChart): throughput, latency, memory, against time. */
final class SoakPlots {
  private SoakPlots() {}

  static void draw(
      Path dir,
      List<Recorder.Row> rows,
      List<Soak.MemorySample> memory,
      Duration duration,
      double rate,
      String label)
      throws IOException {
    Files.createDirectories(dir);
    List<String> kinds = rows.stream().map(Recorder.Row::kind).distinct().sorted().toList();
    double lowLoad = memory.stream().mapToDouble(Soak.MemorySample::load).min().orElse(0);
    double highLoad = memory.stream().mapToDouble(Soak.MemorySample::load).max().orElse(0);
    String subtitle =
        String.format(
            Locale.ROOT,
            "%s%d s at %.0f requests/s, load average %.0f-%.0f",
            label == null ? "" : label + ", ",
            duration.toSeconds(),
            rate,
            lowLoad,
            highLoad);

    XYChart throughput = chart("Soak: answers per second by kind (" + subtitle + ")", "answers/s");
    for (String kind : kinds) {
      add(throughput, kind, rows, kind, Recorder.Row::count);
    }
    save(throughput, dir.resolve("soak-throughput.png"));

    XYChart latency = chart("Soak: latency p50 and p99 per second (" + subtitle + ")", "ms (log)");
    latency.getStyler().setYAxisLogarithmic(true);
    for (String kind : kinds) {
      add(latency, kind + " p50", rows, kind, Recorder.Row::p50Ms);
      add(latency, kind + " p99", rows, kind, Recorder.Row::p99Ms);
    }
    save(latency, dir.resolve("soak-latency.png"));

    XYChart mem = chart("Soak: memory of each server process (" + subtitle + ")", "MB");
    for (String process : List.of("auth", "app")) {
      List<Soak.MemorySample> mine =
          memory.stream().filter(m -> m.process().equals(process)).toList();
      series(mem, process + " RSS", mine, Soak.MemorySample::rssMb);
      series(
          mem,
          process + " heap after GC",
          mine.stream().filter(m -> m.heapAfterGcMb() >= 0).toList(),
          Soak.MemorySample::heapAfterGcMb);
    }
    save(mem, dir.resolve("soak-memory.png"));
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(1100)
            .height(500)
            .title(title)
            .xAxisTitle("seconds into the soak")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(0);
    return chart;
  }

  private static void add(
      XYChart chart,
      String name,
      List<Recorder.Row> rows,
      String kind,
      ToDoubleFunction<Recorder.Row> value) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Recorder.Row r : rows) {
      double v = value.applyAsDouble(r);
      if (r.kind().equals(kind) && v > 0) {
        x.add((double) r.second());
        y.add(v);
      }
    }
    if (!x.isEmpty()) {
      chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }
  }

  private static void series(
      XYChart chart,
      String name,
      List<Soak.MemorySample> samples,
      ToDoubleFunction<Soak.MemorySample> value) {
    if (samples.isEmpty()) {
      return;
    }
    chart
        .addSeries(
            name,
            samples.stream().map(Soak.MemorySample::second).toList(),
            samples.stream().map(value::applyAsDouble).toList())
        .setMarker(SeriesMarkers.NONE);
  }

  private static void save(XYChart chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
