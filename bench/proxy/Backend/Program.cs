// The backend of bench/proxy: answers every request (GET /orders/... and any other path) with the
// same small JSON body, so the benchmark measures the proxies and not the backend's work.
// Usage: dotnet Backend.dll --urls http://127.0.0.1:PORT
using System.Text;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json (Logging:LogLevel:Default=Warning) sits beside the dll; the script runs from the repo root.
    ContentRootPath = AppContext.BaseDirectory,
});

var app = builder.Build();

byte[] body = Encoding.UTF8.GetBytes(
    """{"id":"ord-000123","status":"shipped","currency":"EUR","total":42.50,"items":3,"customer":"c-0042"}""");

app.Run(context =>
{
    var response = context.Response;
    response.StatusCode = StatusCodes.Status200OK;
    response.ContentType = "application/json";
    response.ContentLength = body.Length;
    return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
});

await app.RunAsync();
