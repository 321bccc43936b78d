// Azure Database for PostgreSQL Flexible Server, Microsoft Entra authentication only (no passwords).
// An Entra group administers it; the function app's identity is added as a second Entra administrator
// by postgres-app-admin.bicep once the app exists, because the app applies its own schema migrations
// at start-up and so needs DDL rights.

param name string
param location string
param tags object
param databaseName string
param skuName string
param skuTier string
param storageSizeGB int = 32
param postgresVersion string = '16'
param adminGroupObjectId string
param adminGroupName string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: postgresVersion
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 35
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
  }
}

// The server accepts one control-plane change at a time, so the children below are chained.
resource adminGroup 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: adminGroupObjectId
  properties: {
    principalName: adminGroupName
    principalType: 'Group'
    tenantId: tenant().tenantId
  }
}

// Flex Consumption has no fixed outbound addresses without VNet integration, so Azure-internal traffic
// is allowed and Entra ID does the gatekeeping. A production deployment should move the server and the
// app into a virtual network (private endpoint) and drop this rule.
resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    adminGroup
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    azureServices
  ]
}

output name string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
