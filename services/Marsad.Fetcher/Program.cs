using Marsad.Fetcher;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("fetcher");
builder.AddFetcherService();

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
