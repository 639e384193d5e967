// resource commented 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: 'no' } }
/*
resource blockCommented 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  properties: {
    condition: 'no'
  }
}
*/
#disable-next-line no-unused-vars
var text = 'resource fake \'Microsoft.Authorization/roleAssignments@2022-04-01\' = { properties: { condition: \'no\' } }'
var braces = '{ [ ( unbalanced inside a string'
var multi = '''
resource fakeMulti 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  properties: {
    condition: 'no'
  }
}
'''

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'acct'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    condition: 'a storage account property is not a role-assignment condition'
  }
  resource blobs 'blobServices' = {
    name: 'default'
    properties: {
      condition: 'nor is a nested resource\'s'
    }
  }
}

module rbac 'rbac.bicep' = {
  name: 'rbac'
  params: {
    condition: 'module parameters are not role assignments'
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'reader'
  scope: storage
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // a trailing comment
    principalId: '00000000-0000-0000-0000-000000000017'
    /* comment before */ condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'real\'' // the real one
    description: 'condition: not this'
  }
}
