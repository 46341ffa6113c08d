using Marsad.Fetcher;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("fetcher");
builder.AddFetcher();
builder.AddMarsadBus(bus => bus.AddFetcherConsumers());

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
