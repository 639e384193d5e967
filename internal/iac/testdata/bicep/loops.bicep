param principals array
param deployReader bool = true

resource conditional 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deployReader && length(principals) > 0) {
  name: guid('conditional')
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: principals[0]
    condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'if\''
  }
}

resource looped 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (p, i) in principals: {
  name: guid('looped', p)
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: p
    condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'for\''
    conditionVersion: '2.0'
  }
}]

@batchSize(2)
resource filtered 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for p in filter(principals, x => !empty(x)): if (deployReader) {
  name: guid('filtered', p)
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: p
    condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'for-if\''
  }
}]
