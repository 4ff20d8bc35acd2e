namespace Cutover.Bench.Dashboard;

/// <summary>What one load of the dashboard's fleet cost, as the browser measured it.</summary>
/// <param name="FirstContentfulPaintMs">The paint timing's first-contentful-paint, from the navigation's start.</param>
/// <param name="TableMs">When the page marked the fleet table drawn whole (<c>cutover:fleet-drawn</c>).</param>
/// <param name="Rows">Rows in the table then.</param>
/// <param name="BytesBeforeTable">Bytes transferred (resource timing's transferSize, headers included) by the answers that ended before the table was drawn.</param>
/// <param name="Requests">Those answers.</param>
/// <param name="EventStreams">Requests to GET /api/events the tab made over the whole load and the hold after it.</param>
/// <param name="FastestChartReadMs">The shortest time between two reads of one migration's metrics during the hold; null when none was read twice.</param>
/// <param name="ChartReads">Reads of migrations' metrics during the hold.</param>
internal sealed record Load(double FirstContentfulPaintMs, double TableMs, int Rows, long BytesBeforeTable, int Requests, int EventStreams, double? FastestChartReadMs, int ChartReads);
