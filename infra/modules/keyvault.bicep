// Key Vault (RBAC) for the personal-data keys. Purge protection is on: losing the encryption key
// would make every encrypted identity number, name, mobile and bank account unreadable.
// The secrets themselves are created once by infra/hooks/ensure-keys.* (after provisioning), so no key
// ever passes through a template, a parameter file or the deployment history.

param name string
param location string
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
