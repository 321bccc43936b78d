// The staff console (console/, a Vue single-page app) as an Azure Static Web App in front of the function app: the
// function app is its linked backend, so the console's calls to /api/* reach the API on the console's own origin
// (no CORS, the bearer token never leaves it). Linked backends need the Standard plan.

param name string
@description('Static Web Apps run in a few regions only; the API stays where the function app is.')
param location string
param tags object
@description('Resource id of the function app the console calls under /api.')
param backendResourceId string
@description('Region of the function app.')
param backendLocation string

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'console' })
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // azd deploys the built files (azure.yaml, service `console`); no repository is linked.
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Disabled'
  }
}

resource api 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: site
  name: 'api'
  properties: {
    backendResourceId: backendResourceId
    region: backendLocation
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostname}'
