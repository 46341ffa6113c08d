using Marsad.Classifier;
using Marsad.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMarsadDefaults("classifier");
builder.AddClassifierService();

var app = builder.Build();
app.MapMarsadDefaultEndpoints();
app.Run();
