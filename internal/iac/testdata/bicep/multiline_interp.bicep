var name = 'ignored'

resource doubleDollar 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'doubleDollar'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000018'
    condition: $$'''
@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${name}'
'''
  }
}

resource doubleDollarHole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'doubleDollarHole'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000019'
    condition: $$'''
@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '$${name}'
'''
  }
}
