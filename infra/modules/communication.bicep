// Azure Communication Services for SMS. ACS does not deliver to +86 numbers; a mainland deployment plugs a
// domestic SMS gateway into the same port (ARCHITECTURE.md) and can leave this resource unused.

param name string
param tags object
@description('Where ACS keeps data at rest, e.g. Asia Pacific.')
param dataLocation string

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

output name string = communication.name
output endpoint string = 'https://${communication.properties.hostName}/'
