using Marsad.Classifier;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("classifier");
builder.AddMarsadBus(bus => bus.AddClassifierConsumers());

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
