using Marsad.Hosting;
using Marsad.Indexer;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("indexer");
builder.AddIndexer();
builder.AddMarsadBus(bus => bus.AddIndexerConsumers());

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
