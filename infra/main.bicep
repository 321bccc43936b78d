// Tongban on Azure: a Flex Consumption function app (.NET 10 isolated worker, Durable Functions with the Azure
// Storage provider on the host's storage account), PostgreSQL with Entra authentication, an archive container,
// Key Vault for the personal-data keys, Communication Services, and Application Insights. Deployed with
// `azd up` (azure.yaml); one azd environment per stage.

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource. Flex Consumption is offered in some regions only.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of whoever runs azd (AZURE_PRINCIPAL_ID); allowed to create the personal-data keys in Key Vault. Empty to skip.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Object id of the Microsoft Entra group that administers PostgreSQL.')
param postgresAdminGroupObjectId string

@description('Display name of that group (PostgreSQL uses it as the role name).')
param postgresAdminGroupName string

param postgresSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('Province configuration the app loads (functions/Tongban.Functions/Province/Data).')
param provinceName string = 'hainan'

@description('Where Communication Services keeps its data at rest.')
param communicationDataLocation string = 'Asia Pacific'

@description('Sender number for SMS, E.164 (e.g. +18005550100): a number bought for the Communication Services resource in the portal, which Bicep cannot do. Empty: texts go to the local sink in instance temp space.')
param smsFrom string = ''

@description('The shared secret in the Event Grid webhook URL for SMS delivery reports (POST /api/v1/sms/delivery-reports?key=…); empty: the endpoint refuses every call.')
@secure()
param smsDeliveryReportKey string = ''

@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Region of the staff console (Static Web Apps are offered in a few regions only).')
@allowed([
  'eastasia'
  'eastus2'
  'centralus'
  'westus2'
  'westeurope'
])
param consoleLocation string = 'eastasia'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-tongban-${resourceToken}'
var databaseName = 'tongban'
var archiveContainerName = 'tongban'
var deploymentContainerName = 'app-package'
// The Durable task hub in the host's storage account (its queues, tables and blob containers are named after
// it). Each environment has its own storage account, so one fixed name serves every stage.
var taskHubName = 'TongbanHub'
// Secret names in Key Vault; infra/hooks/ensure-keys.* creates them once per environment.
var encryptionKeySecret = 'personal-data-encryption-key'
var indexKeySecret = 'personal-data-index-key'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: 'log-${resourceToken}'
    insightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module hostStorage 'modules/storage.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    containers: [
      deploymentContainerName
    ]
  }
}

module archiveStorage 'modules/storage.bicep' = {
  name: 'archive-storage'
  scope: rg
  params: {
    name: 'starc${resourceToken}'
    location: location
    tags: tags
    containers: [
      archiveContainerName
    ]
    versioning: true
    deleteRetentionDays: 30
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: 'psql-${resourceToken}'
    location: location
    tags: tags
    databaseName: databaseName
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    adminGroupObjectId: postgresAdminGroupObjectId
    adminGroupName: postgresAdminGroupName
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  scope: rg
  params: {
    name: 'acs-${resourceToken}'
    tags: tags
    dataLocation: communicationDataLocation
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    hostStorageName: hostStorage.outputs.name
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    taskHubName: taskHubName
    maximumInstanceCount: functionMaximumInstanceCount
    // Every setting the app reads (tests/Tongban.Functions.Tests/Archive/SettingsDeclaredSpec.cs checks
    // this list against the code). Secrets are Key Vault references, never values.
    appSettings: {
      Database__Provider: 'postgres'
      // No password: the app signs in to PostgreSQL with its managed identity (Entra token as password).
      ConnectionStrings__Tongban: 'Host=${postgres.outputs.fqdn};Port=5432;Database=${databaseName};Username=${functionAppName};Ssl Mode=Require;Max Auto Prepare=32;No Reset On Close=true'
      // The managed identity signs in to PostgreSQL with an Entra token (no password anywhere).
      Database__EntraAuthentication: 'true'
      // The cloud's own database suffix: the public cloud's ossrdbms-aad.database.windows.net, Azure China's
      // ossrdbms-aad.database.chinacloudapi.cn.
      Database__EntraTokenScope: 'https://ossrdbms-aad${environment().suffixes.sqlServerHostname}/.default'
      PersonalData__EncryptionKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${encryptionKeySecret}/)'
      PersonalData__IndexKey: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${indexKeySecret}/)'
      Province__Name: provinceName
      Demo__Enabled: 'false'
      RateLimit__PortalPerSecond: '2000'
      Payouts__ChunkSize: '50000'
      // Working days a cross-check match waits for its decision before it escalates, and the recipient may contest it.
      CrossChecks__DecisionWorkingDays: '10'
      CrossChecks__ContestWorkingDays: '10'
      // Matches of a comparison file stored and suspended per transaction.
      CrossChecks__MatchesPerCommit: '250'
      // SMS through Communication Services once a sender number is set (smsFrom); the app signs in with its
      // managed identity (Contributor on the resource, roles.bicep), so no access key. ACS does not deliver to
      // +86 numbers: a mainland deployment plugs a domestic gateway into the same port (ISmsGateway).
      Sms__Provider: empty(smsFrom) ? 'local' : 'acs'
      Sms__AcsEndpoint: communication.outputs.endpoint
      Sms__From: smsFrom
      Sms__AcsAccessKey: ''
      // A message claimed by a deliverer that died is sent again after this long (the gateway drops the repeat).
      Sms__RetryAfterSeconds: '120'
      // ACS delivery reports arrive through an Event Grid webhook carrying this secret in its URL (Event Grid cannot sign in).
      Sms__DeliveryReportKey: smsDeliveryReportKey
      // A sent SMS without a delivery report is listed for staff to call the person after this long.
      Sms__UndeliveredAfterMinutes: '60'
      // Outreach (主动服务): the province's government-service app named in the SMS, the subsidy campaigns, persons per
      // step, and whether the timer makes each month's campaign (false: only administrators start them).
      Outreach__ServiceApp: provinceName == 'hebei' ? '冀时办' : '海易办'
      Outreach__IncludeSubsidy: 'false'
      Outreach__ChunkSize: '5000'
      Outreach__Monthly: 'true'
      // The app folder is read-only on Flex Consumption: under the Functions host relative paths are in the
      // instance's temp folder, where the local SMS sink (without a sender number) writes.
      Sms__OutboxPath: 'tongban/sms-outbox.jsonl'
      Archive__Provider: 'azure-blob'
      Archive__BlobServiceUri: archiveStorage.outputs.blobEndpoint
      Archive__Container: archiveContainerName
      // Empty key: the archive adapter uses the managed identity (Entra ID), as the account has Shared Key off.
      Archive__AccountName: archiveStorage.outputs.name
      Archive__AccountKey: ''
      // Only read by the filesystem archive, which Azure does not use (in the temp folder, like the SMS sink).
      Archive__Path: 'tongban/archive'
    }
  }
}

module staffConsole 'modules/staticwebapp.bicep' = {
  name: 'staff-console'
  scope: rg
  params: {
    name: 'stapp-tongban-${resourceToken}'
    location: consoleLocation
    tags: tags
    backendResourceId: functionApp.outputs.id
    backendLocation: location
  }
}

module postgresAppAdmin 'modules/postgres-app-admin.bicep' = {
  name: 'postgres-app-admin'
  scope: rg
  params: {
    serverName: postgres.outputs.name
    principalId: functionApp.outputs.principalId
    principalName: functionApp.outputs.name
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    appPrincipalId: functionApp.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    archiveStorageName: archiveStorage.outputs.name
    archiveContainerName: archiveContainerName
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.insightsName
    communicationName: communication.outputs.name
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

// Outputs become azd environment values (.azure/<env>/.env) for hooks and later commands.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output SERVICE_CONSOLE_NAME string = staffConsole.outputs.name
output SERVICE_CONSOLE_URI string = staffConsole.outputs.uri
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output PERSONAL_DATA_SECRET_NAMES string = '${encryptionKeySecret} ${indexKeySecret}'
output AZURE_POSTGRES_HOST string = postgres.outputs.fqdn
output AZURE_POSTGRES_DATABASE string = databaseName
output ARCHIVE_BLOB_SERVICE_URI string = archiveStorage.outputs.blobEndpoint
output AZURE_COMMUNICATION_ENDPOINT string = communication.outputs.endpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
