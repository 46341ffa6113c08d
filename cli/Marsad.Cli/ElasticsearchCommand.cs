using System.CommandLine;
using Marsad.Search.Elasticsearch;

namespace Marsad.Cli;

public static class ElasticsearchCommand
{
    public static Command Create()
    {
        var prefix = new Option<string>("--prefix") { Description = "Index prefix (and alias)", DefaultValueFactory = _ => "marsad-articles" };
        var replicas = new Option<int>("--replicas") { Description = "Replicas per index", DefaultValueFactory = _ => 0 };
        var template = new Command("template", "Print the article index template (deploy/elasticsearch/ ships its default)") { prefix, replicas };
        template.SetAction(result =>
        {
            Console.WriteLine(ArticleIndexTemplate.ToJson(ArticleIndexTemplate.Build(result.GetValue(prefix)!, result.GetValue(replicas))));
            return CliErrors.Success;
        });
        return new Command("elasticsearch", "Elasticsearch store tools") { template };
    }
}
