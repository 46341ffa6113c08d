using Marsad.Hosting;
using Marsad.Parser;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("parser");
builder.AddParser();
builder.AddMarsadBus(bus => bus.AddParserConsumers());

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
