// A bare YARP IHttpForwarder with no Cutover logic, the baseline for bench/proxy.
// Every request goes to one of two destinations, `weight` percent of them to the candidate, picked
// by a cheap shared counter (no routing middleware, no config snapshot, no sticky hashing, no metrics).
// Usage: dotnet BareForwarder.dll --urls http://127.0.0.1:PORT --legacy URL --candidate URL [--weight 10] [--h2c true]
// --h2c true sends to the backends over HTTP/2 with prior knowledge (bench/protocols' gRPC service);
// the listener speaks h2c when Kestrel is told to (Kestrel__EndpointDefaults__Protocols=Http2).
// An https:// address (bench/protocols) is served with the certificate Kestrel's configuration names,
// e.g. Kestrel__Certificates__Default__Path=cert.pem and Kestrel__Certificates__Default__KeyPath=key.pem.
using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json (Logging:LogLevel:Default=Warning) sits beside the dll; the script runs from the repo root.
    ContentRootPath = AppContext.BaseDirectory,
});
// The slim builder leaves https addresses out until asked, as Cutover's own host does.
builder.WebHost.UseKestrelHttpsConfiguration();
builder.Services.AddHttpForwarder();

var app = builder.Build();

string legacy = app.Configuration["legacy"] ?? throw new ArgumentException("--legacy URL is required");
string candidate = app.Configuration["candidate"] ?? throw new ArgumentException("--candidate URL is required");
int weight = int.Parse(app.Configuration["weight"] ?? "10", CultureInfo.InvariantCulture);
if (weight is < 0 or > 100)
{
    throw new ArgumentOutOfRangeException(nameof(args), weight, "--weight must be 0..100");
}

var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    EnableMultipleHttp2Connections = true,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
});

// HTTP/2 exactly, over plain http: what Cutover's `protocol: h2c` sends.
var requestConfig = app.Configuration.GetValue<bool>("h2c")
    ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
    : ForwarderRequestConfig.Empty;

uint counter = 0;
app.Run(async context =>
{
    // weight out of every 100 consecutive requests go to the candidate.
    uint n = Interlocked.Increment(ref counter);
    string destination = n % 100 < (uint)weight ? candidate : legacy;
    // The ForwarderError result is ignored: YARP has already written a 502/504 when forwarding failed.
    await forwarder.SendAsync(context, destination, invoker, requestConfig, HttpTransformer.Default);
});

await app.RunAsync();
