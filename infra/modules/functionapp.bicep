// The Flex Consumption plan and the function app: Tongban.Functions on the .NET 10 isolated worker, with the
// Durable Functions extension (Azure Storage provider) in the host. System-assigned identity for everything:
// host storage and the task hub, the deployment package, Key Vault references, the archive, PostgreSQL and
// telemetry.

param name string
param planName string
param location string
param tags object
param hostStorageName string
param deploymentContainerName string
param appInsightsConnectionString string
@description('Durable task hub (host.json: "hubName": "%TaskHubName%"). Alphanumeric, 3 to 45 characters, starting with a letter.')
@minLength(3)
@maxLength(45)
param taskHubName string
@description('The app\'s own settings (see main.bicep); the host\'s settings are added here.')
param appSettings object
@maxValue(1000)
param maximumInstanceCount int = 40
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // On Flex Consumption the language stack lives here, not in FUNCTIONS_WORKER_RUNTIME or
      // FUNCTIONS_WORKER_RUNTIME_VERSION (the plan rejects both as app settings).
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettings, {
    // Identity-based connection to the host's storage account: no connection string, no key. The host keeps
    // its locks and timer schedules there, and Durable's Azure Storage provider (host.json: connectionName
    // AzureWebJobsStorage) its task hub: blobs, queues and tables, hence three endpoints (roles.bicep grants
    // the three data roles). Endpoints from the account rather than __accountName, which assumes the public
    // cloud's host names.
    AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    TaskHubName: taskHubName
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  })
}

output id string = site.id
output name string = site.name
output principalId string = site.identity.principalId
output uri string = 'https://${site.properties.defaultHostName}'
