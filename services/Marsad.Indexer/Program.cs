using Marsad.Hosting;
using Marsad.Indexer;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("indexer");
builder.AddIndexerService();

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
